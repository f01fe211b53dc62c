import { resolveModelChain } from "./model-chain.js";
import type { AgentConfig, OpenClawConfig, SandboxConfig } from "./schema.js";

/** An agent with `agents.defaults` applied: what the supervisor builds a runner from. */
export type ResolvedAgent = Omit<AgentConfig, "threadBound" | "runtime" | "model"> & {
  id: string;
  threadBound: boolean;
  runtime: NonNullable<AgentConfig["runtime"]>;
  /** The primary `provider/model`: what status and `agents list` show. */
  model?: string;
  /** Tried in order when the primary fails in a way worth retrying elsewhere; absent when none. */
  modelFallbacks?: string[];
};

/** The agent that exists when the config names none. */
export const DEFAULT_AGENT_ID = "main";

function definedFields<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as Partial<T>;
}

/**
 * `sandbox.docker` and `sandbox.host` are merged field by field so that an agent can, say, add
 * binds but keep the image. `host.hide` lists add up: an agent's own list must not un-hide what
 * the defaults hide.
 */
function mergeSandbox(
  defaults: SandboxConfig | undefined,
  agent: SandboxConfig | undefined,
): SandboxConfig | undefined {
  if (!defaults && !agent) return undefined;
  const docker =
    defaults?.docker || agent?.docker
      ? { ...definedFields(defaults?.docker), ...definedFields(agent?.docker) }
      : undefined;
  let host: SandboxConfig["host"];
  if (defaults?.host || agent?.host) {
    const hide = [...(defaults?.host?.hide ?? []), ...(agent?.host?.hide ?? [])];
    host = { ...definedFields(defaults?.host), ...definedFields(agent?.host) };
    if (defaults?.host?.hide || agent?.host?.hide) host.hide = [...new Set(hide)];
  }
  return {
    ...definedFields(defaults),
    ...definedFields(agent),
    ...(docker ? { docker } : {}),
    ...(host ? { host } : {}),
  };
}

/** Nested policy objects (limits, restart, subagents) merge field by field, like the sandbox. */
const MERGED_OBJECTS = ["limits", "restart", "subagents"] as const;

function resolveAgent(
  id: string,
  defaults: AgentConfig | undefined,
  agent: AgentConfig | undefined,
): ResolvedAgent {
  const merged: AgentConfig = { ...definedFields(defaults), ...definedFields(agent) };
  delete (merged as { pool?: unknown }).pool;
  const sandbox = mergeSandbox(defaults?.sandbox, agent?.sandbox);
  if (sandbox) merged.sandbox = sandbox;
  else delete merged.sandbox;
  for (const key of MERGED_OBJECTS) {
    if (defaults?.[key] || agent?.[key]) {
      (merged as Record<string, unknown>)[key] = {
        ...definedFields(defaults?.[key]),
        ...definedFields(agent?.[key]),
      };
    }
  }
  const { model: _model, ...rest } = merged;
  const chain = resolveModelChain(defaults?.model, agent?.model);
  return {
    id,
    ...rest,
    ...(chain.primary !== undefined ? { model: chain.primary } : {}),
    ...(chain.fallbacks.length > 0 ? { modelFallbacks: chain.fallbacks } : {}),
    threadBound: merged.threadBound ?? false,
    runtime: merged.runtime ?? "agent",
  };
}

/**
 * Every key of `agents` except `defaults` is an agent, in config order, each with the defaults
 * applied (the agent's own value wins). With no agent configured, one agent `main` exists.
 */
export function resolveAgentConfigs(config: OpenClawConfig): ResolvedAgent[] {
  const { defaults, ...agents } = config.agents;
  const entries = Object.entries(agents) as [string, AgentConfig][];
  if (entries.length === 0) return [resolveAgent(DEFAULT_AGENT_ID, defaults, undefined)];
  return entries.map(([id, agent]) => resolveAgent(id, defaults, agent));
}
