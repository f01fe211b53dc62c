import type { BoundaryChange } from "./boundary-changes.js";
import type { McpServerConfig, OpenClawConfig } from "./schema.js";

/** The secrets a server definition hands out (env values, headers), by name. */
function secretsOf(server: McpServerConfig): string[] {
  const values = "url" in server ? server.headers : server.env;
  return Object.values(values ?? {})
    .filter((value): value is { $secret: string } => typeof value === "object")
    .map((value) => value.$secret)
    .sort();
}

/** Where a server's secrets go: the program it runs, or the URL it talks to. */
function destinationOf(server: McpServerConfig): string {
  return "url" in server
    ? `${server.url} (${server.transport})`
    : [server.command, ...server.args, server.cwd ?? server.workingDirectory ?? ""].join("\u0000");
}

/**
 * An MCP server's `env` and `headers` secrets go to that server. A file change that gives a
 * secret to a new server, or points a server holding one at another program or URL, could hand
 * the secret to whoever wrote the file (an agent with file tools): not hot-applied.
 */
export function mcpChanges(running: OpenClawConfig, next: OpenClawConfig): BoundaryChange[] {
  const changes: BoundaryChange[] = [];
  for (const [name, after] of Object.entries(next.mcp.servers)) {
    const secrets = secretsOf(after);
    if (secrets.length === 0) continue;
    const before = running.mcp.servers[name];
    const known = before ? new Set(secretsOf(before)) : new Set<string>();
    const moved = before === undefined || destinationOf(before) !== destinationOf(after);
    const added = secrets.filter((secret) => !known.has(secret));
    if (!moved && added.length === 0) continue;
    const target = "url" in after ? after.url : after.command;
    changes.push({
      path: `mcp.servers.${name}`,
      description: `the MCP server now receives secret(s) ${(moved ? secrets : added).join(", ")} (${target})`,
    });
  }
  return changes;
}
