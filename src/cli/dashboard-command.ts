import type { Command } from "commander";
import { requireRunningGateway } from "./gateway-api.js";
import { printJson } from "./output.js";

/**
 * `openclaw dashboard`: the Control UI's URL, with the generated token in the fragment as
 * `gateway start` prints it (a fragment never reaches a server or a log; the UI reads it and
 * drops it). A configured token or password is never put in a URL: the UI asks for it. This
 * command never opens a browser; `--no-open` is accepted for OpenClaw's scripts.
 */
export function registerDashboardCommand(program: Command): void {
  program
    .command("dashboard")
    .description("print the Control UI URL (with the generated token in the fragment)")
    .option("--no-open", "accepted for compatibility: no browser is ever opened")
    .option("--json", "print JSON: url, httpUrl, wsUrl, port, tokenIncluded")
    .action(async (options: { json?: boolean }) => {
      const running = await requireRunningGateway();
      const { gatewayTokenFingerprint, readGatewayToken } = await import("../auth/gateway-token.js");
      const { cliPaths } = await import("./cli-context.js");
      const saved = await readGatewayToken(cliPaths({}).stateDir).catch(() => undefined);
      // Only the token the running gateway says (by digest) it accepts: a file left by an
      // earlier run in another auth mode would be a URL that does not log in.
      const token = saved && running.tokenFingerprint === gatewayTokenFingerprint(saved) ? saved : undefined;
      const url = token ? `${running.url}/#token=${token}` : `${running.url}/`;
      if (options.json) {
        printJson({
          ok: true,
          url,
          httpUrl: `${running.url}/`,
          wsUrl: running.url.replace(/^http/, "ws"),
          port: running.port,
          tokenIncluded: token !== undefined,
        });
        return;
      }
      process.stdout.write(`control UI: ${url}\n`);
      if (!token) {
        process.stderr.write(
          "note: no generated token to put in the URL: the Control UI asks for the gateway's configured credential\n",
        );
      }
    });
}
