import type { Tool } from "./tool.js";

/** OpenClaw's `tools.{ profile, allow, alsoAllow, deny }` (docs/gateway/config-tools/tool-policy.md). */
export interface ToolPolicy {
  profile?: "minimal" | "coding" | "messaging" | "full" | undefined;
  allow?: readonly string[] | undefined;
  alsoAllow?: readonly string[] | undefined;
  deny?: readonly string[] | undefined;
}

/**
 * OpenClaw's groups, with this gateway's tools where they have other names: `list` is a file
 * tool, `agents_spawn`/`agents_wait` are its sessions_spawn/subagents, memory has store/forget.
 * Names OpenClaw has and this gateway does not are kept so that a policy naming them matches
 * nothing rather than failing.
 */
const GROUPS: Record<string, readonly string[]> = {
  "group:fs": ["read", "write", "edit", "apply_patch", "list"],
  "group:runtime": ["exec", "process", "code_execution", "bash"],
  "group:web": ["web_search", "x_search", "web_fetch"],
  "group:sessions": ["sessions_spawn", "subagents", "agents_spawn", "agents_wait", "session_status"],
  "group:memory": ["memory_search", "memory_get", "memory_store", "memory_forget"],
  "group:messaging": ["message"],
  "group:ui": ["canvas", "browser", "screen"],
  "group:agents": ["agents_list"],
};

const PROFILES: Record<Exclude<NonNullable<ToolPolicy["profile"]>, "full">, readonly string[]> = {
  minimal: ["session_status"],
  coding: ["group:fs", "group:runtime", "group:web", "group:sessions", "group:memory"],
  messaging: ["group:messaging", "group:sessions"],
};

/** One tool under two names: a policy naming either selects (or denies) both. */
export const TOOL_ALIASES: Readonly<Record<string, string>> = {
  sessions_spawn: "agents_spawn",
  agents_spawn: "sessions_spawn",
};

/** OpenClaw's plugin id of the configured MCP servers' tools: allowing it allows all of them. */
export const MCP_BUNDLE = "bundle-mcp";

function patternMatches(pattern: string, tool: Pick<Tool, "name" | "mcpServer">): boolean {
  const { name } = tool;
  if (tool.mcpServer !== undefined && [MCP_BUNDLE, "group:plugins"].includes(pattern.toLowerCase()))
    return true;
  const alias = TOOL_ALIASES[name];
  return nameMatches(pattern, name) || (alias !== undefined && nameMatches(pattern, alias));
}

/**
 * Whether the seed's allow-list (a plain list of names) selects an MCP tool: by `bundle-mcp`, its
 * exact name, or a glob such as `fs__*`. Built-in tools stay exact names there.
 */
export function allowsMcpTool(allowList: readonly string[], tool: Pick<Tool, "name" | "mcpServer">): boolean {
  return tool.mcpServer !== undefined && matchesAny(allowList, tool);
}

function nameMatches(pattern: string, name: string): boolean {
  const group = GROUPS[pattern.toLowerCase()];
  if (group) return group.includes(name);
  // Case-insensitive, `*` as a wildcard: OpenClaw's matching of allow and deny entries.
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*");
  return new RegExp(`^${escaped}$`, "i").test(name);
}

const matchesAny = (patterns: readonly string[], tool: Pick<Tool, "name" | "mcpServer">) =>
  patterns.some((pattern) => patternMatches(pattern, tool));

/**
 * The tools one policy lets through. Without profile or allow, every tool but the opt-in ones
 * (as with no policy); `full` and an explicit allow entry select opt-in tools too. With a
 * limited profile, allow expands it (OpenClaw: "choosing a tool profile or expanding it with
 * tools.allow"), as alsoAllow does; without one, allow is the allowlist. Deny wins.
 */
export function applyToolPolicy(policy: ToolPolicy, tools: readonly Tool[]): Tool[] {
  const limited = policy.profile !== undefined && policy.profile !== "full";
  const additions = [...(policy.alsoAllow ?? []), ...(limited ? (policy.allow ?? []) : [])];
  return tools.filter((tool) => {
    if (policy.deny && matchesAny(policy.deny, tool)) return false;
    if (matchesAny(additions, tool)) return true;
    const inProfile =
      policy.profile === undefined || policy.profile === "full"
        ? policy.profile === "full" || policy.allow !== undefined || !tool.optIn
        : matchesAny(PROFILES[policy.profile], tool);
    if (!inProfile) return false;
    return limited || policy.allow === undefined || matchesAny(policy.allow, tool);
  });
}
