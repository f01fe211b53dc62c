/**
 * How MCP tools are named for the model, OpenClaw's way: `<server>__<tool>`, the server part a
 * provider-safe prefix (docs/gateway/config-tools/tool-policy.md). Providers accept tool names
 * of `[A-Za-z0-9_-]{1,64}` only, so both parts are made to fit, and a policy glob such as
 * `outlook-graph__*` is written against the prefix, not the raw `mcp.servers` key.
 */

/** The longest tool name every provider accepts. */
export const MAX_TOOL_NAME_LENGTH = 64;
const MAX_PREFIX_LENGTH = 24;
export const MCP_TOOL_SEPARATOR = "__";

/** One server's prefix: lower case, unsafe characters as `-`, starting with a letter. */
export function serverPrefix(server: string): string {
  let prefix = server.toLowerCase().replace(/[^a-z0-9_-]/g, "-");
  if (!/^[a-z]/.test(prefix)) prefix = `mcp-${prefix}`;
  return prefix.slice(0, MAX_PREFIX_LENGTH);
}

/**
 * Every configured server's prefix, in config order. Two servers whose prefixes collide (after
 * lower-casing or truncation) get `-2`, `-3`, ...: each tool name must point at one server.
 */
export function serverPrefixes(servers: readonly string[]): Map<string, string> {
  const taken = new Set<string>();
  const prefixes = new Map<string, string>();
  for (const server of servers) {
    const base = serverPrefix(server);
    let prefix = base;
    for (let suffix = 2; taken.has(prefix); suffix += 1) {
      const tail = `-${suffix}`;
      prefix = `${base.slice(0, MAX_PREFIX_LENGTH - tail.length)}${tail}`;
    }
    taken.add(prefix);
    prefixes.set(server, prefix);
  }
  return prefixes;
}

/** The model-facing name of one of a server's tools, within the providers' 64 characters. */
export function mcpToolName(prefix: string, tool: string): string {
  const safe = tool.replace(/[^A-Za-z0-9_-]/g, "-");
  return `${prefix}${MCP_TOOL_SEPARATOR}${safe}`.slice(0, MAX_TOOL_NAME_LENGTH);
}

/** OpenClaw's simple globs: `*` for any run of characters, the rest literal, case-sensitive. */
export function globMatches(pattern: string, name: string): boolean {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*");
  return new RegExp(`^${escaped}$`).test(name);
}

/** `mcp.servers.<name>.toolFilter`: include limits, exclude hides (and wins). */
export function passesToolFilter(
  filter: { include?: readonly string[] | undefined; exclude?: readonly string[] | undefined } | undefined,
  tool: string,
): boolean {
  if (filter?.exclude?.some((pattern) => globMatches(pattern, tool))) return false;
  if (filter?.include && !filter.include.some((pattern) => globMatches(pattern, tool))) return false;
  return true;
}
