import type { ResolvedAgent } from "../../config/index.js";
import type { Logger } from "../../logging/index.js";
import type { ProviderFetch } from "../../models/index.js";
import type { AgentRunner, RunnerCrashHandler } from "../agent-runner.js";
import type { AgentRuntimeSettings } from "../agent-settings.js";
import type { HostServiceRegistry } from "../host-services/host-service-registry.js";
import { InlineAgentRunner } from "../inline-runner.js";
import { ThreadAgentRunner } from "../worker/thread-runner.js";
import type { WorkerPool } from "../worker/worker-pool.js";

/** Where an agent's turns run, and on which pool when it is pooled. */
export type RunnerPlan =
  | { placement: "main" }
  | { placement: "thread" }
  | { placement: "pool"; pool: WorkerPool };

/**
 * A thread-bound agent gets a thread of its own; any other agent runs on the shared pool when
 * `agents.defaults.pool` runs one, else on the gateway's main thread.
 */
export function planRunner(
  agent: Pick<ResolvedAgent, "threadBound">,
  pool: WorkerPool | undefined,
): RunnerPlan {
  if (agent.threadBound) return { placement: "thread" };
  return pool ? { placement: "pool", pool } : { placement: "main" };
}

export interface RunnerBuildOptions {
  logger: Logger;
  egressFetch: ProviderFetch;
  hostServices: HostServiceRegistry;
}

/** The runner `plan` calls for. `onCrash` hears of a thread that dies on its own. */
export function buildRunner(
  plan: RunnerPlan,
  settings: AgentRuntimeSettings,
  onCrash: RunnerCrashHandler,
  options: RunnerBuildOptions,
): AgentRunner {
  const { logger, egressFetch, hostServices } = options;
  switch (plan.placement) {
    case "thread": {
      const agent = settings.agentId;
      return new ThreadAgentRunner(settings, onCrash, {
        egressFetch,
        hostServices,
        onPriority: (demoted, error) => {
          if (error) logger.warn({ agent, error }, "cannot change the agent thread's CPU priority");
          else if (demoted) logger.info({ agent }, "agent thread busy: CPU priority lowered");
          else logger.info({ agent }, "agent thread calm: CPU priority restored");
        },
      });
    }
    case "pool":
      return plan.pool.runnerFor(settings.agentId);
    case "main":
      return new InlineAgentRunner(settings, egressFetch, hostServices);
  }
}
