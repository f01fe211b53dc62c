import { dirname, isAbsolute, resolve } from "node:path";
import { agentWorkspaceRoot } from "../config/agent-workspace.js";
import type { OpenClawConfig, ResolvedAgent } from "../config/index.js";
import { OpenClawError } from "../errors.js";
import { type CredentialReader, resolveModelSpec } from "../models/index.js";
import { resolveAgentSkills, type SkillWarning } from "../skills/index.js";
import { DEFAULT_PROCESS_LIMITS } from "../tools/process/index.js";
import {
  type AgentRuntimeSettings,
  DEFAULT_EXEC_TIMEOUT_MS,
  DEFAULT_HOST_EXEC,
  DEFAULT_LIMITS,
  DEFAULT_RESTART_POLICY,
  DEFAULT_SUBAGENT_MAX_DEPTH,
  DEFAULT_SUBAGENT_MAX_FAN_OUT,
  defaultQueueTimeoutMs,
  type HostExecSettings,
  type ResolvedLimits,
  type ResolvedRestartPolicy,
} from "./agent-settings.js";
import { hiddenHostPaths } from "./hidden-host-paths.js";

export const DEV_MODEL_ID = "dev/echo";

function withDefaults<T extends object>(defaults: T, given: Partial<T> | undefined): T {
  const defined = Object.entries(given ?? {}).filter(([, value]) => value !== undefined);
  return { ...defaults, ...Object.fromEntries(defined) } as T;
}

export function resolveLimits(agent: ResolvedAgent): ResolvedLimits {
  const limits = withDefaults(DEFAULT_LIMITS, agent.limits);
  if (agent.limits?.queueTimeoutMs === undefined)
    limits.queueTimeoutMs = defaultQueueTimeoutMs(limits.turnTimeoutMs);
  return limits;
}

export function resolveRestartPolicy(agent: ResolvedAgent): ResolvedRestartPolicy {
  return withDefaults(DEFAULT_RESTART_POLICY, agent.restart);
}

/** `sandbox.host` with defaults: confined by bubblewrap unless the agent opts out by name. */
export function resolveHostExec(agent: ResolvedAgent): HostExecSettings {
  const { hide: _hide, ...given } = agent.sandbox?.host ?? {};
  return { ...withDefaults(DEFAULT_HOST_EXEC, given), searchPath: process.env.PATH ?? "" };
}

/**
 * The agents this one may delegate to: its `subagents.allow` list, else every agent declared
 * `runtime: "subagent"`. Never itself: a turn waiting on its own queue would deadlock.
 */
/** The agents `agent` may delegate to (subagents.allow; default: the `runtime: "subagent"` ones). */
export function subagentTargets(agent: ResolvedAgent, all: readonly ResolvedAgent[]): string[] {
  const known = new Set(all.map((candidate) => candidate.id));
  const allow = agent.subagents?.allow;
  // OpenClaw's ["*"]: any configured agent.
  if (allow?.includes("*")) return all.map((candidate) => candidate.id).filter((id) => id !== agent.id);
  if (allow) {
    const unknown = allow.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new OpenClawError(
        "OC_ERR_MODEL_CONFIG",
        `agents.${agent.id}.subagents.allow names unknown agent(s): ${unknown.join(", ")}`,
        { hint: `configured agents: ${[...known].join(", ")}` },
      );
    }
    return allow.filter((id) => id !== agent.id);
  }
  return all
    .filter((candidate) => candidate.runtime === "subagent" && candidate.id !== agent.id)
    .map((a) => a.id);
}

/** The seed's allow-list as it was; OpenClaw's policies (the agent's, then the global one) beside it. */
export function toolSelection(
  agent: ResolvedAgent,
  config: OpenClawConfig,
): Pick<AgentRuntimeSettings, "toolAllowList" | "toolPolicies"> {
  const own = agent.tools;
  const policies = [...(own && !Array.isArray(own) ? [own] : []), ...(config.tools ? [config.tools] : [])];
  return {
    ...(Array.isArray(own) ? { toolAllowList: own } : {}),
    ...(policies.length > 0 ? { toolPolicies: policies } : {}),
  };
}

/**
 * A fallback that cannot be set up fails the agent like its primary would (a chain that silently
 * lost a member would fail over to nothing when it matters), with the message saying which entry.
 */
function inFallback<T>(agentId: string, index: number, resolve: () => T): T {
  try {
    return resolve();
  } catch (error) {
    if (!(error instanceof OpenClawError)) throw error;
    const path = `agents.${agentId}.model.fallbacks[${index}]`;
    throw new OpenClawError(error.code, `${path}: ${error.message}`, {
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.details ? { details: error.details } : {}),
    });
  }
}

/**
 * Everything an agent's runtime needs, resolved in the gateway: the model spec with its key
 * (read here through the caller's reader), plugin paths made absolute against the config file's
 * folder, limits, delegation targets, and how its commands are confined (with the host paths they
 * must not see). Throws a typed error when the agent cannot be set up.
 */
export function resolveRuntimeSettings(
  agent: ResolvedAgent,
  all: readonly ResolvedAgent[],
  config: OpenClawConfig,
  configPath: string,
  readCredential: CredentialReader,
  stateDir: string,
  onSkillWarning?: (warning: SkillWarning) => void,
): AgentRuntimeSettings {
  const model = resolveModelSpec(agent.model ?? DEV_MODEL_ID, config.models.providers, readCredential);
  const fallbackModels = (agent.modelFallbacks ?? []).map((id, index) =>
    inFallback(agent.id, index, () => resolveModelSpec(id, config.models.providers, readCredential)),
  );
  const configDir = dirname(configPath);
  const workspaceRoot = agentWorkspaceRoot(agent, configDir, stateDir);
  const skills = resolveAgentSkills({
    workspaceRoot,
    stateDir,
    configDir,
    skills: config.skills,
    allowList: agent.skills,
  });
  for (const warning of skills.warnings) onSkillWarning?.(warning);
  const skillPrompt = skills.prompt;
  const systemPrompt = [agent.systemPrompt, skillPrompt].filter(Boolean).join("\n\n");
  return {
    agentId: agent.id,
    model,
    fallbackModels,
    ...(systemPrompt ? { systemPrompt } : {}),
    ...(agent.maxSteps ? { maxSteps: agent.maxSteps } : {}),
    ...toolSelection(agent, config),
    pluginPaths: (agent.plugins ?? []).map((path) => (isAbsolute(path) ? path : resolve(configDir, path))),
    subagents: {
      targets: subagentTargets(agent, all),
      maxDepth: agent.subagents?.maxDepth ?? DEFAULT_SUBAGENT_MAX_DEPTH,
      maxFanOut: agent.subagents?.maxFanOut ?? DEFAULT_SUBAGENT_MAX_FAN_OUT,
    },
    limits: resolveLimits(agent),
    workspace: {
      root: workspaceRoot,
      sandboxed: agent.sandbox?.docker?.enabled === true,
      execTimeoutMs: agent.sandbox?.docker?.execTimeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS,
      processes: {
        maxPerAgent: config.tools?.process?.maxPerAgent ?? DEFAULT_PROCESS_LIMITS.maxPerAgent,
        maxRuntimeMs:
          (config.tools?.process?.maxRuntimeSeconds ?? DEFAULT_PROCESS_LIMITS.maxRuntimeMs / 1000) * 1000,
      },
      host: resolveHostExec(agent),
      hidden: hiddenHostPaths(agent, config, configPath, stateDir),
    },
  };
}
