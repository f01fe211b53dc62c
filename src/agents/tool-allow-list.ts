import { suggestNearest } from "../config/nearest-name.js";
import { GATEWAY_TOOL_NAMES } from "../config/tool-names.js";
import { OpenClawError } from "../errors.js";

/**
 * The check config validation leaves to the agent when it has plugins: once they are loaded,
 * every name in `tools` must be the gateway's or a plugin's. An unknown one would otherwise
 * leave the agent silently without that tool; it is refused, and the agent degrades with why.
 */
export function checkToolAllowList(
  agentId: string,
  allowList: readonly string[] | undefined,
  pluginToolNames: readonly string[],
): void {
  if (!allowList) return;
  const known = [...GATEWAY_TOOL_NAMES, ...pluginToolNames];
  // MCP tools (`bundle-mcp`, `<server>__<tool>`, `<server>__*`) are known only once listed.
  const unknown = allowList.filter((name) => !known.includes(name) && !isMcpEntry(name));
  if (unknown.length === 0) return;
  const described = unknown.map((name) => {
    const suggestion = suggestNearest(name, known);
    return suggestion ? `"${name}" (did you mean "${suggestion}"?)` : `"${name}"`;
  });
  throw new OpenClawError(
    "OC_ERR_CONFIG_INVALID",
    `agents.${agentId}.tools names ${unknown.length === 1 ? "a tool" : "tools"} that neither the gateway nor the agent's plugins provide: ${described.join(", ")}`,
    {
      hint: `fix the names in agents.${agentId}.tools (plugin tools: ${pluginToolNames.join(", ") || "none"}), then \`openclaw agents restart ${agentId}\``,
      details: { agentId, unknown },
    },
  );
}

function isMcpEntry(name: string): boolean {
  return name === "bundle-mcp" || name.includes("__");
}
