import { type OpenClawError, toOpenClawError } from "../../errors.js";
import type { Logger } from "../../logging/index.js";
import type { AgentRunner, RunnerCrashHandler } from "../agent-runner.js";
import type { AgentRuntimeSettings } from "../agent-settings.js";
import type { SandboxHost } from "../host-services/sandbox-service.js";
import type { RunnerPlan } from "./agent-placement.js";
import { prepareWorkspace } from "./prepare-workspace.js";
import type { SupervisedAgent } from "./supervised-agent.js";

/** Builds the runner a plan calls for (buildRunner, in the gateway). */
export type RunnerFactory = (
  plan: RunnerPlan,
  settings: AgentRuntimeSettings,
  onCrash: RunnerCrashHandler,
) => AgentRunner;

/**
 * Brings an agent's runner up, and back up after it crashes: builds the runner its placement
 * calls for, prepares its workspace (and sandbox), starts it, and on a crash follows the agent's
 * restart policy (restart after back-off, or degrade). A failure that will not fix itself (a
 * plugin that does not load, a model that cannot be built) degrades the agent at once.
 */
export class AgentStarter {
  constructor(
    private readonly build: RunnerFactory,
    private readonly sandbox: SandboxHost | undefined,
    private readonly logger: Logger,
  ) {}

  /** Resolves once the agent is ready, restarting or degraded; never rejects. */
  async start(agent: SupervisedAgent): Promise<void> {
    const settings = agent.settings;
    if (!settings) return;
    const runner: AgentRunner = this.build(agent.plan, settings, (error) =>
      this.onCrash(agent, runner, error),
    );
    agent.starting(runner);
    try {
      await prepareWorkspace(agent.config, settings, this.sandbox);
      await runner.start();
      agent.ready(runner);
    } catch (error) {
      if (!agent.isCurrent(runner)) return;
      const failure = toOpenClawError(error);
      if (failure.code === "OC_ERR_AGENT_CRASHED") {
        this.onCrash(agent, runner, failure);
        return;
      }
      agent.statistics.runnerFailed(failure.message);
      agent.degrade(failure.describe());
      this.logger.error(
        { agent: agent.id, code: failure.code, error: failure.message },
        "agent failed to start",
      );
    }
  }

  private onCrash(agent: SupervisedAgent, runner: AgentRunner, error: OpenClawError): void {
    if (!agent.isCurrent(runner) || agent.retired) return;
    const { logger } = this;
    agent.statistics.runnerFailed(error.message);
    const decision = agent.restarts.crashed();
    const log = { agent: agent.id, code: error.code, error: error.message };
    if ("degradedAfter" in decision) {
      agent.degrade(
        `crashed ${decision.degradedAfter} times within limits; last: ${error.message}. Fix the cause, then \`openclaw agents restart ${agent.id}\``,
      );
      agent.admission.rejectWaiting(error);
      logger.error(log, "agent degraded after repeated crashes");
      return;
    }
    const delayMs = decision.restartInMs;
    agent.restarting(`restarting in ${delayMs} ms after: ${error.message}`);
    logger.error({ ...log, restartInMs: delayMs }, "agent crashed");
    agent.restarts.schedule(delayMs, () => {
      if (agent.state !== "restarting") return;
      void this.start(agent).then(() => {
        if (agent.state !== "ready") return;
        agent.statistics.restarted();
        logger.info({ agent: agent.id, restarts: agent.statistics.restartCount }, "agent restarted");
      });
    });
  }
}
