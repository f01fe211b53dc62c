import type { OpenClawConfig, ResolvedAgent } from "../../config/index.js";
import { OpenClawError, toOpenClawError } from "../../errors.js";
import type { Logger } from "../../logging/index.js";
import type { AgentRunner } from "../agent-runner.js";
import type { AgentRuntimeSettings, ResolvedLimits } from "../agent-settings.js";
import { LeaseCounter } from "../lease-counter.js";
import { DEV_MODEL_ID, resolveLimits, resolveRestartPolicy } from "../runtime-settings.js";
import { TurnAdmission } from "../turn-admission.js";
import type { TurnClock } from "../turn-clock.js";
import { planRunner, type RunnerPlan } from "./agent-placement.js";
import type { AgentSnapshot, AgentState } from "./agent-snapshot.js";
import { AgentStatistics } from "./agent-statistics.js";
import type { PoolPlan } from "./pool-plan.js";
import { RestartPolicy } from "./restart-policy.js";

/**
 * One configured agent under supervision: what it is (its config, resolved settings, limits and
 * placement, fixed for its lifetime: a config change makes a new one), and where it is now (its
 * runner and state, changed only through the transitions below). A reload that leaves the agent
 * unchanged keeps the same instance, with its queue, counts and crash history.
 */
export class SupervisedAgent {
  readonly id: string;
  readonly limits: ResolvedLimits;
  /** `provider/model`, as configured when the settings did not resolve. */
  readonly model: string;
  readonly admission: TurnAdmission;
  readonly statistics: AgentStatistics;
  readonly restarts: RestartPolicy;
  /** Turn slots handed out and not given back: a retired runner closes once they are. */
  readonly leases = new LeaseCounter();
  private current: AgentRunner | undefined;
  private stateNow: AgentState;
  private reasonNow: string | undefined;
  private retiredNow = false;

  constructor(
    readonly config: ResolvedAgent,
    /** Undefined when the agent cannot be set up (see `reason`): it stays degraded. */
    readonly settings: AgentRuntimeSettings | undefined,
    readonly plan: RunnerPlan,
    /** Equal fingerprints on a reload: the agent is kept as it is. */
    readonly fingerprint: string,
    clock: TurnClock,
    settingsFailure?: OpenClawError,
  ) {
    this.id = config.id;
    const limits = resolveLimits(config);
    this.limits = limits;
    this.model = settings
      ? `${settings.model.provider}/${settings.model.model}`
      : (config.model ?? DEV_MODEL_ID);
    // turnTimeoutMs counts from arrival too: waiting longer than it could never end in a turn.
    this.admission = new TurnAdmission(config.id, limits.maxConcurrent, limits.maxQueue, {
      queueTimeoutMs: Math.min(limits.queueTimeoutMs, limits.turnTimeoutMs),
      clock,
    });
    this.statistics = new AgentStatistics(clock);
    this.restarts = new RestartPolicy(resolveRestartPolicy(config), clock);
    this.stateNow = settingsFailure ? "degraded" : "starting";
    this.reasonNow = settingsFailure?.describe();
  }

  get runner(): AgentRunner | undefined {
    return this.current;
  }

  get state(): AgentState {
    return this.stateNow;
  }

  get reason(): string | undefined {
    return this.reasonNow;
  }

  /** Replaced by a reload, removed or shut down: its crashes no longer restart anything. */
  get retired(): boolean {
    return this.retiredNow;
  }

  isCurrent(runner: AgentRunner): boolean {
    return this.current === runner;
  }

  starting(runner: AgentRunner): void {
    this.set("starting", undefined, runner);
  }

  /** `runner` started; false when it was replaced meanwhile (then nothing changes). */
  ready(runner: AgentRunner): boolean {
    if (this.current !== runner) return false;
    this.set("ready", undefined, runner);
    return true;
  }

  restarting(reason: string): void {
    this.set("restarting", reason, undefined);
  }

  /** It will not fix itself (a bad plugin, repeated crashes): an operator has to act. */
  degrade(reason: string): void {
    this.set("degraded", reason, undefined);
  }

  /** Stopped by an operator (or the shutdown); returns the runner to close. */
  stop(reason: string): AgentRunner | undefined {
    const runner = this.current;
    this.restarts.cancel();
    this.set("stopped", reason, undefined);
    return runner;
  }

  /** Takes the runner away for a fresh start (an operator's restart); the state is unchanged. */
  detachRunner(): AgentRunner | undefined {
    const runner = this.current;
    this.current = undefined;
    return runner;
  }

  retire(): void {
    this.retiredNow = true;
    this.restarts.cancel();
  }

  /** The runner a turn may use now, or the refusal it gets (with how long to wait). */
  available(): AgentRunner {
    if (this.current && this.stateNow === "ready") return this.current;
    // A stopped agent stays so until an operator starts it: the client's error says how.
    const restart = `start it again with \`openclaw agents restart ${this.id}\``;
    const hint =
      this.stateNow === "stopped"
        ? `${this.reasonNow ?? "stopped"}; ${restart}`
        : (this.reasonNow ?? "see `openclaw agents list`");
    throw new OpenClawError("OC_ERR_AGENT_UNAVAILABLE", `agent "${this.id}" is ${this.stateNow}`, {
      hint,
      details: {
        agentId: this.id,
        state: this.stateNow,
        retryAfterMs: this.restarts.retryAfterMs(this.stateNow),
      },
    });
  }

  snapshot(): AgentSnapshot {
    const stats = this.current?.stats() ?? {};
    return {
      id: this.id,
      name: this.config.name,
      runtime: this.config.runtime,
      threadBound: this.config.threadBound,
      placement: this.plan.placement,
      threadId: stats.threadId,
      state: this.stateNow,
      reason: this.reasonNow,
      model: this.model,
      ...(this.config.modelFallbacks ? { modelFallbacks: this.config.modelFallbacks } : {}),
      usesDevModel: this.settings?.model.type === "dev",
      heapUsedBytes: stats.heapUsedBytes,
      heapLimitBytes: stats.heapLimitBytes,
      eventLoopUtilization: stats.eventLoopUtilization,
      cpuDemoted: stats.cpuDemoted ?? false,
      turnsInFlight: this.admission.activeCount,
      queueDepth: this.admission.queueDepth,
      ...this.statistics.counts(),
      ...this.degradedError(),
      limits: this.limits,
    };
  }

  /**
   * A degraded agent that never ran a turn has no failure of its own to show, yet the reason it
   * cannot serve is the error an operator looks for under LAST ERROR (`agents list`).
   */
  private degradedError(): { lastError?: string } {
    if (this.stateNow !== "degraded" || this.statistics.counts().lastError !== undefined) return {};
    return this.reasonNow === undefined ? {} : { lastError: this.reasonNow };
  }

  private set(state: AgentState, reason: string | undefined, runner: AgentRunner | undefined): void {
    this.stateNow = state;
    this.reasonNow = reason;
    this.current = runner;
  }
}

export interface SuperviseContext {
  config: OpenClawConfig;
  pool: PoolPlan;
  clock: TurnClock;
  logger: Logger;
  /** The agent's runtime settings (model, workspace, limits); throws when it cannot be set up. */
  settingsOf: (agent: ResolvedAgent) => AgentRuntimeSettings;
}

/** A new entry for `agent`: degraded from the start when its settings do not resolve. */
export function superviseAgent(agent: ResolvedAgent, context: SuperviseContext): SupervisedAgent {
  const plan = planRunner(agent, context.pool.pool);
  let settings: AgentRuntimeSettings | undefined;
  let failure: OpenClawError | undefined;
  try {
    settings = context.settingsOf(agent);
  } catch (error) {
    failure = toOpenClawError(error, "OC_ERR_MODEL_CONFIG");
    context.logger.warn({ agent: agent.id, code: failure.code, reason: failure.message }, "agent degraded");
  }
  // Credentials appear here only as placeholders, so a rotated key does not rebuild the agent.
  const fingerprint = JSON.stringify({
    agent,
    settings: settings ?? null,
    pool: plan.placement === "pool" ? context.pool.fingerprint : null,
  });
  return new SupervisedAgent(agent, settings, plan, fingerprint, context.clock, failure);
}
