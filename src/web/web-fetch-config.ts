import { resolveAgentConfigs } from "../config/agents.js";
import type { OpenClawConfig } from "../config/index.js";
import type { WebFetchConfig } from "../config/schema/tools-web.js";

/**
 * `tools.web.fetch` for one agent: the global one with the agent's own (its `tools` in policy
 * form) laid over it, key by key; the agent's `ssrfPolicy` keys win over the global ones.
 */
export function webFetchConfigFor(config: OpenClawConfig, agentId: string): WebFetchConfig | undefined {
  const global = config.tools?.web?.fetch;
  const agent = resolveAgentConfigs(config).find((candidate) => candidate.id === agentId);
  const own = agent?.tools && !Array.isArray(agent.tools) ? agent.tools.web?.fetch : undefined;
  if (!own) return global;
  const ssrfPolicy = { ...global?.ssrfPolicy, ...own.ssrfPolicy };
  return { ...global, ...own, ssrfPolicy };
}
