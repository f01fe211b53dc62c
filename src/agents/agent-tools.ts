import type { OpenClawConfig, ResolvedAgent } from "../config/index.js";
import { BUILTIN_TOOLS, isToolSelected, SERVICE_TOOLS, WORKSPACE_TOOLS } from "../tools/index.js";
import { toolSelection } from "./runtime-settings.js";

const KNOWN_TOOLS = [...BUILTIN_TOOLS, ...WORKSPACE_TOOLS, ...SERVICE_TOOLS];

/**
 * Whether the agent is offered a built-in tool, by the same rules its runtime selects tools with
 * (the seed's allow-list, or OpenClaw's policies), for the gateway's checks outside the worker:
 * a host service refusing an agent not given the tool, doctor's confinement probe.
 */
export function agentOffersTool(agent: ResolvedAgent, config: OpenClawConfig, name: string): boolean {
  const tool = KNOWN_TOOLS.find((candidate) => candidate.name === name) ?? { name };
  const { toolAllowList, toolPolicies } = toolSelection(agent, config);
  return isToolSelected(tool, toolAllowList, toolPolicies);
}

/** Whether the agent's policy allows one MCP tool (`bundle-mcp`, `<server>__*`, its exact name). */
export function agentOffersMcpTool(
  agent: ResolvedAgent,
  config: OpenClawConfig,
  tool: { name: string; server: string },
): boolean {
  const { toolAllowList, toolPolicies } = toolSelection(agent, config);
  return isToolSelected(
    { name: tool.name, optIn: true, mcpServer: tool.server },
    toolAllowList,
    toolPolicies,
  );
}

/**
 * Whether the agent's policy could allow any tool of an MCP server (whose tools are not known
 * before it runs): the gateway starts a server only for agents that may use it.
 */
export function agentMayUseMcpServer(
  agent: ResolvedAgent,
  config: OpenClawConfig,
  server: { name: string; prefix: string },
): boolean {
  const { toolAllowList, toolPolicies = [] } = toolSelection(agent, config);
  const probe = { name: `${server.prefix}__*`, optIn: true, mcpServer: server.name };
  if (isToolSelected(probe, toolAllowList, toolPolicies)) return true;
  const entries = [
    ...(toolAllowList ?? []),
    ...toolPolicies.flatMap((policy) => [...(policy.allow ?? []), ...(policy.alsoAllow ?? [])]),
  ];
  return entries.some((entry) => entry.toLowerCase().startsWith(`${server.prefix}__`));
}
