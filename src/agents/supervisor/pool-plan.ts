import type { OpenClawConfig, ResolvedAgent } from "../../config/index.js";
import type { AgentRuntimeSettings } from "../agent-settings.js";
import { resolveLimits } from "../runtime-settings.js";
import { WorkerPool } from "../worker/worker-pool.js";
import type { RunnerBuildOptions } from "./agent-placement.js";

export interface PoolPlan {
  /** The pool the agents that are not thread-bound run on; none without `agents.defaults.pool`. */
  pool: WorkerPool | undefined;
  /** Identifies the pool's configuration: part of each pooled agent's fingerprint. */
  fingerprint: string;
}

/**
 * The shared pool a config calls for: the running one when its configuration is unchanged (a
 * reload keeps it), a new one (not yet started) otherwise. `settingsOf` throws for an agent that
 * cannot be set up; that agent is degraded on its own and the pool serves the others.
 */
export function planPool(
  config: OpenClawConfig,
  agents: readonly ResolvedAgent[],
  current: WorkerPool | undefined,
  settingsOf: (agent: ResolvedAgent) => AgentRuntimeSettings,
  options: RunnerBuildOptions,
): PoolPlan {
  const size = config.agents.defaults?.pool?.size;
  const pooled = agents.filter((agent) => !agent.threadBound);
  if (!size || pooled.length === 0) return { pool: undefined, fingerprint: "" };
  const settings: AgentRuntimeSettings[] = [];
  for (const agent of pooled) {
    try {
      settings.push(settingsOf(agent));
    } catch {
      // Reported by the agent's own entry (see superviseAgent).
    }
  }
  const limits = resolveLimits({
    id: "pool",
    threadBound: false,
    runtime: "agent",
    ...(config.agents.defaults ?? {}),
  } as ResolvedAgent);
  const fingerprint = JSON.stringify({ size, settings, limits });
  if (current && current.fingerprint === fingerprint) return { pool: current, fingerprint };
  const { logger, egressFetch, hostServices } = options;
  return {
    pool: new WorkerPool({ size, agents: settings, limits, fingerprint, logger, egressFetch, hostServices }),
    fingerprint,
  };
}
