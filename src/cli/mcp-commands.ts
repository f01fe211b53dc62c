import type { Command } from "commander";
import { callGateway, requireRunningGateway } from "./gateway-api.js";

/**
 * `openclaw mcp serve`: the gateway as an MCP server over stdio, for an MCP client (Claude
 * Desktop, Claude Code, Codex) to spawn. The process is a bridge: it asks the running gateway of
 * this state dir over its HTTP API, with the CLI's operator credential, and holds no agent itself.
 */
export function registerMcpCommands(program: Command): void {
  const mcp = program.command("mcp").description("the gateway as an MCP server (`mcp serve`)");
  mcp
    .command("serve")
    .description(
      "serve the gateway's agents as MCP tools over stdio (ask_<agent>, sessions_list, session_history)",
    )
    .option("-v, --verbose", "diagnostics on stderr")
    .action(async (options: { verbose?: boolean }) => {
      // Fails at once, with the usual hint, when no gateway runs: an MCP client shows stderr.
      await requireRunningGateway();
      const { remoteServeBackend, serveOverStdio } = await import("../mcp/serve/index.js");
      await serveOverStdio(remoteServeBackend(callGateway), {
        ...(options.verbose ? { log: (line: string) => process.stderr.write(`${line}\n`) } : {}),
      });
    });
}
