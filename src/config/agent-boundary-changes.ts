import { isDeepStrictEqual } from "node:util";
import { type ResolvedAgent, resolveAgentConfigs } from "./agents.js";
import type { BoundaryChange } from "./boundary-changes.js";
import type { OpenClawConfig } from "./schema.js";

/** A weakening of one setting of one agent, before it is given its full config path. */
interface SettingChange {
  /** Path below the agent, e.g. `sandbox.docker.enabled`. */
  setting: string;
  description: string;
}

function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const key of path.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * What confines an agent's tools, as the agent runs with its defaults applied. `sandbox.host` is
 * read defensively: it is being added to the schema, and until then it is absent (confined).
 */
function confinementOf(agent: ResolvedAgent) {
  const docker = agent.sandbox?.docker;
  const binds = valueAt(agent, "sandbox.docker.binds");
  const confinement = valueAt(agent, "sandbox.host.confinement");
  const hostNetwork = valueAt(agent, "sandbox.host.network");
  return {
    docker: docker?.enabled === true,
    network: docker?.network ?? "none",
    binds: Array.isArray(binds) ? binds.filter((bind): bind is string => typeof bind === "string") : [],
    unconfined: confinement === "unconfined",
    hostNetwork: hostNetwork === "host",
    // Plugins are modules imported with the gateway user's rights: a new one is new code.
    plugins: agent.plugins ?? [],
  };
}

function settingChanges(before: ResolvedAgent, after: ResolvedAgent): SettingChange[] {
  const was = confinementOf(before);
  const is = confinementOf(after);
  const changes: SettingChange[] = [];
  if (was.docker && !is.docker) {
    changes.push({
      setting: "sandbox.docker.enabled",
      description: "the Docker sandbox is turned off: tools run on the host",
    });
  }
  // Network and binds only widen a sandbox that was and stays on; enabling one is a tightening.
  if (was.docker && is.docker) {
    if (was.network !== "bridge" && is.network === "bridge") {
      changes.push({
        setting: "sandbox.docker.network",
        description: `the Docker sandbox gets a network: ${was.network} → ${is.network}`,
      });
    }
    const added = is.binds.filter((bind) => !was.binds.includes(bind));
    if (added.length > 0) {
      changes.push({
        setting: "sandbox.docker.binds",
        description: `new bind mounts into the Docker sandbox: ${added.join(", ")}`,
      });
    }
  }
  if (is.unconfined && !was.unconfined) {
    changes.push({
      setting: "sandbox.host.confinement",
      description: 'host confinement is turned off ("unconfined"): tools see the whole host',
    });
  }
  if (is.hostNetwork && !was.hostNetwork) {
    changes.push({
      setting: "sandbox.host.network",
      description: 'tools on the host get the host\'s network ("host")',
    });
  }
  const newPlugins = is.plugins.filter((plugin) => !was.plugins.includes(plugin));
  if (newPlugins.length > 0) {
    changes.push({
      setting: "plugins",
      description: `new plugin modules, loaded with the gateway user's rights: ${newPlugins.join(", ")}`,
    });
  }
  return changes;
}

/** The agent `agents.defaults` alone makes: what a newly added agent is measured against. */
function defaultsAgent(config: OpenClawConfig): ResolvedAgent {
  const onlyDefaults = { ...config, agents: { defaults: config.agents.defaults } } as OpenClawConfig;
  const [agent] = resolveAgentConfigs(onlyDefaults);
  if (!agent) throw new Error("resolveAgentConfigs returned no agent for a config without agents");
  return agent;
}

/**
 * Weakened confinement of `agents.defaults` and of each agent (defaults applied), a new agent
 * measured against what the running defaults would have given it. An agent's line is left out
 * when the agent only inherits a weakening already listed for the defaults.
 */
export function agentBoundaryChanges(running: OpenClawConfig, next: OpenClawConfig): BoundaryChange[] {
  const changes: BoundaryChange[] = [];
  const baseline = defaultsAgent(running);
  const inherited = new Set<string>();
  for (const change of settingChanges(baseline, defaultsAgent(next))) {
    inherited.add(change.setting);
    changes.push({ path: `agents.defaults.${change.setting}`, description: change.description });
  }
  const runningAgents = new Map(resolveAgentConfigs(running).map((agent) => [agent.id, agent]));
  for (const agent of resolveAgentConfigs(next)) {
    const before = runningAgents.get(agent.id);
    for (const change of settingChanges(before ?? baseline, agent)) {
      const own = (config: OpenClawConfig) => valueAt(config.agents[agent.id], change.setting);
      if (inherited.has(change.setting) && isDeepStrictEqual(own(running), own(next))) continue;
      changes.push({
        path: `agents.${agent.id}.${change.setting}`,
        description: before ? change.description : `new agent: ${change.description}`,
      });
    }
  }
  return changes;
}
