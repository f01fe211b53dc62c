import { OpenClawError } from "../../errors.js";
import type { Logger } from "../../logging/index.js";
import type { ProviderFetch } from "../../models/index.js";
import { DEFAULT_PROCESS_LIMITS } from "../../tools/process/index.js";
import type { AgentRunner, RunnerStats, RunnerTurnInput } from "../agent-runner.js";
import { type AgentRuntimeSettings, DEFAULT_RESTART_POLICY, type ResolvedLimits } from "../agent-settings.js";
import { CrashHistory } from "../crash-history.js";
import type { HostServiceRegistry } from "../host-services/host-service-registry.js";
import { RECENT_WINDOW_MINUTES, RecentCounter } from "../recent-counter.js";
import { RunningTurns } from "../running-turns.js";
import type { TurnOutcome } from "../turn/turn-events.js";
import { AgentThread } from "./agent-thread.js";

export interface WorkerPoolOptions {
  size: number;
  /** Every agent that is not thread-bound; each pool thread hosts all of them. */
  agents: AgentRuntimeSettings[];
  limits: ResolvedLimits;
  /** Identifies the pool's configuration, so that a reload keeps an unchanged pool. */
  fingerprint: string;
  logger: Logger;
  egressFetch: ProviderFetch;
  hostServices: HostServiceRegistry;
}

/** One thread of the pool as the status endpoints show it. */
export interface PoolThreadSnapshot {
  slot: number;
  state: "ready" | "starting" | "restarting" | "stopped";
  threadId: number | undefined;
  turnsInFlight: number;
  /**
   * Its heartbeat arrives on time. False while its event loop is stalled: it takes turns only
   * when no other thread can, until it beats again or the watchdog replaces it.
   */
  responsive: boolean;
  restarts: number;
  /** Restarts within the last RECENT_WINDOW_MINUTES (15). */
  recentRestarts: number;
  lastError: string | undefined;
}

export interface PoolSnapshot {
  size: number;
  agents: string[];
  threads: PoolThreadSnapshot[];
}

interface PoolSlot {
  thread: AgentThread | undefined;
  ready: boolean;
  restarts: number;
  recentRestarts: RecentCounter;
  lastError: string | undefined;
  crashes: CrashHistory;
  restartTimer: NodeJS.Timeout | undefined;
}

/**
 * `agents.defaults.pool`: a fixed number of worker threads shared by the agents that are not
 * thread-bound, for many light agents without a thread each. Turns go to the least busy live
 * thread; a crashed thread fails only its own turns and is replaced after a back-off, while the
 * other threads keep serving. Isolation is per thread, not per agent: that is the trade-off.
 */
export class WorkerPool {
  readonly fingerprint: string;
  private readonly slots: PoolSlot[];
  private startPromise: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    this.fingerprint = options.fingerprint;
    this.slots = Array.from({ length: options.size }, () => ({
      thread: undefined,
      ready: false,
      restarts: 0,
      recentRestarts: new RecentCounter(RECENT_WINDOW_MINUTES),
      lastError: undefined,
      crashes: new CrashHistory(DEFAULT_RESTART_POLICY),
      restartTimer: undefined,
    }));
  }

  /** Starts every thread; resolves once at least one serves. */
  start(): Promise<void> {
    this.startPromise ??= Promise.allSettled(
      this.slots.map((slot, index) => this.startSlot(slot, index)),
    ).then((results) => {
      const failure = results.find((result) => result.status === "rejected");
      if (this.liveThreads().length === 0 && failure?.status === "rejected") throw failure.reason;
    });
    return this.startPromise;
  }

  runnerFor(agentId: string): AgentRunner {
    return new PooledAgentRunner(this, agentId);
  }

  /** The reason an agent could not be set up in the pool's threads, if any. */
  startFailureOf(agentId: string): OpenClawError | undefined {
    for (const thread of this.liveThreads()) {
      const failure = thread.startFailureOf(agentId);
      if (failure) return failure;
    }
    return undefined;
  }

  runTurn(input: RunnerTurnInput): Promise<TurnOutcome> {
    // A thread whose heartbeat lapsed is probably stalled and about to be replaced by the
    // watchdog: it takes turns only when no other thread can.
    const thread = this.liveThreads().sort(
      (a, b) => Number(b.responsive) - Number(a.responsive) || a.inFlight - b.inFlight,
    )[0];
    if (!thread) {
      return Promise.reject(
        new OpenClawError("OC_ERR_AGENT_UNAVAILABLE", "every thread of the agent pool is restarting", {
          details: { retryAfterMs: 1000 },
        }),
      );
    }
    return thread.runTurn(input);
  }

  stats(): RunnerStats {
    const stats = this.liveThreads().map((thread) => thread.stats());
    if (stats.length === 0) return {};
    const sum = (pick: (entry: RunnerStats) => number | undefined) =>
      stats.reduce((total, entry) => total + (pick(entry) ?? 0), 0);
    return {
      heapUsedBytes: sum((entry) => entry.heapUsedBytes),
      heapLimitBytes: sum((entry) => entry.heapLimitBytes),
      eventLoopUtilization: sum((entry) => entry.eventLoopUtilization) / stats.length,
    };
  }

  snapshot(): PoolSnapshot {
    return {
      size: this.slots.length,
      agents: this.options.agents.map((agent) => agent.agentId),
      threads: this.slots.map((slot, index) => ({
        slot: index + 1,
        state: this.closed
          ? "stopped"
          : slot.thread?.alive && slot.ready
            ? "ready"
            : slot.restarts > 0
              ? "restarting"
              : "starting",
        threadId: slot.thread?.alive ? slot.thread.threadId : undefined,
        turnsInFlight: slot.thread?.alive ? slot.thread.inFlight : 0,
        responsive: slot.thread?.alive === true && slot.thread.responsive,
        restarts: slot.restarts,
        recentRestarts: slot.recentRestarts.total(),
        lastError: slot.lastError,
      })),
    };
  }

  async close(options: { graceful?: boolean } = {}): Promise<void> {
    this.closed = true;
    const reason = new OpenClawError("OC_ERR_AGENT_UNAVAILABLE", "the agent pool was shut down", {
      details: { retryAfterMs: 1000 },
    });
    await Promise.all(
      this.slots.map((slot) => {
        if (slot.restartTimer) clearTimeout(slot.restartTimer);
        return slot.thread?.close(reason, options.graceful ? 30_000 : 0);
      }),
    );
  }

  /** Each live thread of the pool gives its freed memory back (the gateway is idle). */
  releaseHeap(): void {
    for (const thread of this.liveThreads()) thread.releaseHeap();
  }

  private liveThreads(): AgentThread[] {
    return this.slots.flatMap((slot) => (slot.thread?.alive ? [slot.thread] : []));
  }

  private async startSlot(slot: PoolSlot, index: number): Promise<void> {
    if (this.closed) return;
    const thread = new AgentThread({
      label: `agent pool thread ${index + 1}`,
      // A session's turns may land on any pool thread, and a process lives in one: none are offered.
      agents: this.options.agents.map((agent) => ({
        ...agent,
        workspace: {
          ...agent.workspace,
          processes: { ...DEFAULT_PROCESS_LIMITS, ...agent.workspace.processes, pooled: true },
        },
      })),
      limits: this.options.limits,
      onCrash: (error) => this.onCrash(slot, index, thread, error),
      onPriority: (demoted, error) => {
        if (error)
          this.options.logger.warn(
            { poolThread: index + 1, error },
            "cannot change a pool thread's CPU priority",
          );
        else this.options.logger.info({ poolThread: index + 1, demoted }, "pool thread CPU priority changed");
      },
      egressFetch: this.options.egressFetch,
      hostServices: this.options.hostServices,
    });
    slot.thread = thread;
    slot.ready = false;
    await thread.start();
    slot.ready = true;
  }

  private onCrash(slot: PoolSlot, index: number, thread: AgentThread, error: OpenClawError): void {
    if (slot.thread !== thread || this.closed) return;
    slot.thread = undefined;
    slot.restarts += 1;
    slot.recentRestarts.add();
    slot.lastError = error.message;
    slot.crashes.record();
    const delayMs = slot.crashes.backoffMs();
    this.options.logger.error(
      { poolThread: index + 1, error: error.message, restartInMs: delayMs },
      "agent pool thread crashed",
    );
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = undefined;
      this.startSlot(slot, index).catch((failure: unknown) =>
        this.onCrash(slot, index, slot.thread as AgentThread, failure as OpenClawError),
      );
    }, delayMs);
  }
}

/** One pooled agent's view of the pool: what the supervisor holds for it. */
class PooledAgentRunner implements AgentRunner {
  readonly placement = "pool" as const;
  private readonly running = new RunningTurns();

  constructor(
    private readonly pool: WorkerPool,
    private readonly agentId: string,
  ) {}

  async start(): Promise<void> {
    await this.pool.start();
    const failure = this.pool.startFailureOf(this.agentId);
    if (failure) throw failure;
  }

  runTurn(input: RunnerTurnInput): Promise<TurnOutcome> {
    return this.running.run(input.signal, (signal) => this.pool.runTurn({ ...input, signal }));
  }

  /** Ends this agent's turns; the pool outlives any one agent and is closed by the supervisor. */
  async close(reason: OpenClawError, options: { graceful?: boolean } = {}): Promise<void> {
    if (!options.graceful) this.running.abortAll(reason);
  }

  stats(): RunnerStats {
    return this.pool.stats();
  }

  heap(): WorkerPool {
    return this.pool;
  }
}
