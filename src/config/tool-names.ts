/**
 * The names of the tools the gateway itself provides (built-in, workspace, host-service and
 * subagent tools). Config cannot import the tools (config is read by all and imports none of
 * them), so the names are listed here and `src/tools/tool-names.test.ts` keeps the two equal.
 * Plugin tools are not known before their module is loaded.
 */
export const GATEWAY_TOOL_NAMES: readonly string[] = [
  "echo",
  "current_time",
  "read",
  "write",
  "edit",
  "apply_patch",
  "list",
  "exec",
  "process",
  "memory_store",
  "memory_search",
  "memory_forget",
  "canvas",
  "message",
  "agents_spawn",
  "agents_wait",
  "sessions_spawn",
  "agents_list",
  "web_fetch",
  "browser",
];

/**
 * OpenClaw's own tools (its tool groups, docs/tools/*.md), which a policy written for OpenClaw may
 * name: one this gateway lacks narrows nothing and is no typo, even when it is close to one it has
 * (`web_search` next to `web_fetch`).
 */
export const OPENCLAW_TOOL_NAMES: readonly string[] = [
  "web_search",
  "x_search",
  "web_fetch",
  "browser",
  "screen",
  "process",
  "apply_patch",
  "code_execution",
  "bash",
  "subagents",
  "session_status",
  "memory_get",
];
