import {
  ConfigSchema,
  type OpenClawConfig,
  type ResolvedAgent,
  resolveAgentConfigs,
} from "../../config/index.js";
import type { AgentRuntimeSettings } from "../agent-settings.js";
import { resolveRuntimeSettings } from "../runtime-settings.js";

export interface AgentFixture {
  config: OpenClawConfig;
  agents: ResolvedAgent[];
  agent(id: string): ResolvedAgent;
  /** The agent's runtime settings, its workspace under `stateDir`; throws as the supervisor would see. */
  settingsOf(agent: ResolvedAgent): AgentRuntimeSettings;
}

/** Agents of a config (as `openclaw.json` would hold it), resolved against a state dir. */
export function agentFixture(input: unknown, stateDir: string): AgentFixture {
  const config = ConfigSchema.parse(input);
  const agents = resolveAgentConfigs(config);
  return {
    config,
    agents,
    agent(id) {
      const found = agents.find((agent) => agent.id === id);
      if (!found) throw new Error(`no agent "${id}" in the fixture`);
      return found;
    },
    settingsOf: (agent) =>
      resolveRuntimeSettings(agent, agents, config, `${stateDir}/openclaw.json`, () => undefined, stateDir),
  };
}
