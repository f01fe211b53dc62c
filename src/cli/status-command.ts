import type { Command } from "commander";
import { isOpenClawError } from "../errors.js";
import { cliPaths, type GlobalOptions } from "./cli-context.js";
import { fetchJson, findRunningGateway } from "./daemon.js";
import { formatDuration, formatTable } from "./output.js";

interface LiveAgent {
  id: string;
  state: string;
  model: string;
  placement: string;
  reason?: string;
}

/** `openclaw status`: the config, whether the gateway runs, and each agent's state. */
export function registerStatusCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("status")
    .description("config, gateway and agents at a glance")
    .action(async () => {
      const paths = cliPaths(program.opts<GlobalOptions>());
      const { loadConfigFile, resolveAgentConfigs } = await import("../config/index.js");
      process.stdout.write(`config: ${paths.configPath}\n`);
      let configuredAgents: string[] = [];
      try {
        const loaded = await loadConfigFile(paths.configPath);
        configuredAgents = resolveAgentConfigs(loaded.config).map((agent) => agent.id);
        process.stdout.write(`config: ${loaded.exists ? "valid" : "not found (built-in defaults)"}\n`);
      } catch (error) {
        process.stdout.write(`config: INVALID: ${isOpenClawError(error) ? error.message : String(error)}\n`);
        setExitCode(2);
      }
      process.stdout.write(`state dir: ${paths.stateDir}\n`);
      const running = await findRunningGateway(paths.stateDir);
      if (!running) {
        process.stdout.write(`gateway: not running (start it with \`openclaw gateway start\`)\n`);
        if (configuredAgents.length)
          process.stdout.write(`agents (configured): ${configuredAgents.join(", ")}\n`);
        return;
      }
      const status = (await fetchJson(
        `${running.url}/__openclaw__/status`,
        2000,
        paths.stateDir,
        running.tlsCertPath,
      )) as {
        uptimeMs: number;
        agents: LiveAgent[];
        config?: { pending: { hash: string; weakening: { path: string }[] } | null };
      };
      process.stdout.write(
        `gateway: running (pid ${running.pid}) at ${running.url}, up ${formatDuration(status.uptimeMs)}\n`,
      );
      const pending = status.config?.pending;
      if (pending) {
        const paths = pending.weakening.map((change) => change.path).join(", ");
        process.stdout.write(
          `config: a change is held, it weakens the security boundary (${paths}): apply it with \`openclaw config apply --hash ${pending.hash}\`, or restart the gateway\n`,
        );
      }
      const rows = [["AGENT", "STATE", "MODEL", "PLACEMENT", "REASON"]];
      for (const agent of status.agents) {
        rows.push([agent.id, agent.state, agent.model, agent.placement, agent.reason?.split("\n")[0] ?? ""]);
      }
      process.stdout.write(`${formatTable(rows)}\n`);
    });
}
