import type { Command } from "commander";
import type { GlobalOptions } from "../cli-context.js";
import type { OnboardFlags } from "./onboard-run.js";

/** Registration only: the flow, the prompts and the config schema load when `onboard` runs. */
export function registerOnboardCommand(program: Command): void {
  program
    .command("onboard")
    .description("set up openclaw.json (model provider, key, gateway) and start the gateway")
    .option("--non-interactive", "take every answer from flags (with --accept-risk)")
    .option("--accept-risk", "acknowledge that agents can run tools on this machine")
    .option("--provider <name>", "model provider: dev (default), anthropic, openai, openai-compatible")
    .option("--auth-choice <choice>", "OpenClaw's spelling: apiKey, openai-api-key, custom-api-key, skip")
    .option("--model <id>", "model id at the provider")
    .option("--custom-model-id <id>", "same as --model")
    .option("--base-url <url>", "API base URL (required for openai-compatible)")
    .option("--custom-base-url <url>", "same as --base-url")
    .option("--api-key-file <path>", "read the provider's API key from this file")
    .option("--api-key-env <var>", "read the provider's API key from this environment variable")
    .option("--agent-name <id>", "id of the first agent (default main)")
    .option("--gateway-port <port>", "listen port (default 18789)")
    .option("--gateway-bind <bind>", "loopback (default) or lan")
    .option("--gateway-auth <mode>", "token (default) or password")
    .option("--no-start", "write the config only; do not start the gateway")
    .option("--force", "replace an existing config (keeping a backup)")
    .option("--json", "print a summary as JSON (paths and URL, never a secret); the rest goes to stderr")
    // OpenClaw's own flags, so that scripts written for it run here too (see openclaw-flags.ts).
    .option("--mode <mode>", "OpenClaw: local (the only mode here)")
    .option(
      "--anthropic-api-key <key>",
      "OpenClaw: the key on the command line (visible in ps; prefer --api-key-file)",
    )
    .option("--openai-api-key <key>", "OpenClaw: as --anthropic-api-key, for OpenAI")
    .option("--custom-api-key <key>", "OpenClaw: as --anthropic-api-key, for an openai-compatible server")
    .option("--gateway-token <token>", "OpenClaw: the gateway token to use (stored in a 0600 secret file)")
    .option("--gateway-password <password>", "OpenClaw: password mode with this password (0600 secret file)")
    .option("--secret-input-mode <mode>", "OpenClaw: ref (always, here)")
    .option("--skip-health", "OpenClaw: config only, unless --install-daemon")
    .option("--install-daemon", "OpenClaw: start the gateway (the default here)")
    .option("--skip-daemon", "OpenClaw: same as --no-start")
    .option("--skip-bootstrap", "OpenClaw: accepted, ignored (no bootstrap files here)")
    .option("--skip-skills", "OpenClaw: accepted, ignored (no skills here)")
    .option("--daemon-runtime <runtime>", "OpenClaw: accepted, ignored")
    .action(async (flags: OnboardFlags) => {
      const { runOnboard } = await import("./onboard-run.js");
      await runOnboard(flags, program.opts<GlobalOptions>());
    });
}
