import { mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type OpenClawConfig, type ResolvedAgent, resolveAgentConfigs } from "../config/index.js";
import { OpenClawError, toOpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import type { CredentialReader, ProviderFetch } from "../models/index.js";
import type {
  AgentPlacement,
  AgentRunner,
  CanvasCall,
  HostServices,
  MemoryCall,
  SandboxHost,
} from "./agent-runner.js";
import type { AgentRuntimeSettings, ResolvedLimits } from "./agent-settings.js";
import { CrashHistory } from "./crash-history.js";
import { InlineAgentRunner } from "./inline-runner.js";
import { LeaseCounter } from "./lease-counter.js";
import { RecentCounter } from "./recent-counter.js";
import { resolveLimits, resolveRestartPolicy, resolveRuntimeSettings } from "./runtime-settings.js";
import { TurnAdmission } from "./turn-admission.js";
import { SYSTEM_TURN_CLOCK, type TurnClock } from "./turn-clock.js";
import { ThreadAgentRunner } from "./worker/thread-runner.js";
import { type PoolSnapshot, WorkerPool } from "./worker/worker-pool.js";

export type AgentState = "starting" | "ready" | "restarting" | "degraded" | "stopped";

export interface AgentSnapshot {
  id: string;
  name: string | undefined;
  runtime: string;
  threadBound: boolean;
  placement: AgentPlacement;
  threadId: number | undefined;
  state: AgentState;
  reason: string | undefined;
  model: string;
  usesDevModel: boolean;
  heapUsedBytes: number | undefined;
  heapLimitBytes: number | undefined;
  eventLoopUtilization: number | undefined;
  /** Its thread runs at a lower OS priority for keeping its event loop busy. */
  cpuDemoted: boolean;
  turnsInFlight: number;
  queueDepth: number;
  turnsCompleted: number;
  turnsFailed: number;
  restarts: number;
  /** Restarts (after a crash or by an operator) within the last RECENT_WINDOW_MS. */
  recentRestarts: number;
  /** Turns refused at the door (busy or not ready): what HTTP clients saw as 503. */
  turnsRejected: number;
  /** Turns asked of it (run or refused) and turns refused, within the last RECENT_WINDOW_MS. */
  recentTurns: number;
  recentRejected: number;
  lastError: string | undefined;
  limits: ResolvedLimits;
}

/** How far back `recentRestarts` looks. */
export const RECENT_WINDOW_MS = 15 * 60_000;

interface AgentHandle {
  config: ResolvedAgent;
  fingerprint: string;
  settings: AgentRuntimeSettings | undefined;
  runner: AgentRunner | undefined;
  state: AgentState;
  reason: string | undefined;
  model: string;
  limits: ResolvedLimits;
  admission: TurnAdmission;
  crashes: CrashHistory;
  restartTimer: NodeJS.Timeout | undefined;
  restartAt: number | undefined;
  turnsCompleted: number;
  turnsFailed: number;
  turnsRejected: number;
  recentTurns: RecentCounter;
  recentRejected: RecentCounter;
  restarts: number;
  restartTimes: number[];
  lastError: string | undefined;
  /** The shared pool this agent runs on, when it is pooled. */
  pool: WorkerPool | undefined;
  /** Replaced by a reload or removed: its crashes no longer restart anything. */
  retired: boolean;
  /** Turn slots handed out and not given back: a retired runner closes once they are. */
  leases: LeaseCounter;
}

export interface TurnLease {
  runner: AgentRunner;
  limits: ResolvedLimits;
  release(error?: unknown): void;
}

const DEGRADED_RETRY_AFTER_MS = 30_000;
/** How long a replaced runner waits for the turns that hold its slots (as long as a graceful close). */
const RETIRE_LEASE_WAIT_MS = 30_000;

export interface AgentSupervisorOptions {
  logger: Logger;
  /** Gives each provider credential's placeholder (see models' CredentialReader). */
  readCredential: CredentialReader;
  /** The egress path of every agent's provider requests; plain fetch when absent (tests). */
  egressFetch?: ProviderFetch;
  /** Where default workspaces live (`<stateDir>/workspace/<id>`). */
  stateDir?: string;
  /** Runs the commands of sandboxed agents; without it, a sandboxed agent is degraded. */
  sandbox?: SandboxHost;
  /** The agents' memory, for the memory tools; without it they answer that memory is off. */
  memory?: (call: MemoryCall) => Promise<unknown>;
  /** Sessions' canvases, for the canvas tool. */
  canvas?: (call: CanvasCall) => Promise<unknown>;
  /** The time source of queue and turn timeouts; the system clock unless a test drives it. */
  clock?: TurnClock;
}

/**
 * Owns the configured agents: places each one (main thread, own worker thread, or the shared
 * pool), admits turns within its limits, restarts a crashed agent with exponential back-off and
 * degrades it after repeated crashes, and rebuilds only the agents whose config changed on a
 * reload. An agent's trouble is that agent's alone: the others keep serving.
 */
export class AgentSupervisor {
  private handles = new Map<string, AgentHandle>();
  private pool: WorkerPool | undefined;
  private applying: Promise<unknown> = Promise.resolve();
  private readonly retiring = new Set<Promise<void>>();
  private configPath = "";

  private readonly logger: Logger;
  private readonly readCredential: CredentialReader;
  private readonly egressFetch: ProviderFetch | undefined;
  private readonly stateDir: string;
  private readonly sandbox: SandboxHost | undefined;
  private readonly services: HostServices;
  /** What turn deadlines are measured with (shared with the chat service). */
  readonly clock: TurnClock;

  constructor(options: AgentSupervisorOptions) {
    this.clock = options.clock ?? SYSTEM_TURN_CLOCK;
    this.logger = options.logger;
    this.readCredential = options.readCredential;
    this.egressFetch = options.egressFetch;
    this.stateDir = options.stateDir ?? join(tmpdir(), "openclaw");
    this.sandbox = options.sandbox;
    const sandbox = options.sandbox;
    this.services = {
      ...(sandbox ? { sandboxExec: (request) => sandbox.exec(request) } : {}),
      ...(options.memory ? { memory: options.memory } : {}),
      ...(options.canvas ? { canvas: options.canvas } : {}),
    };
  }

  /** Applies a (new) config; returns which agents were added, changed and removed. */
  apply(
    config: OpenClawConfig,
    configPath = this.configPath,
  ): Promise<{ added: string[]; changed: string[]; removed: string[] }> {
    const run = this.applying.catch(() => undefined).then(() => this.applyNow(config, configPath));
    this.applying = run;
    return run;
  }

  private async applyNow(config: OpenClawConfig, configPath: string) {
    this.configPath = configPath;
    const agents = resolveAgentConfigs(config);
    const nextPool = this.planPool(config, agents);
    const next = new Map<string, AgentHandle>();
    const added: string[] = [];
    const changed: string[] = [];
    const fresh: AgentHandle[] = [];
    for (const agent of agents) {
      const handle = this.build(agent, agents, config, configPath, nextPool);
      const existing = this.handles.get(agent.id);
      if (existing && existing.fingerprint === handle.fingerprint) {
        next.set(agent.id, existing);
        continue;
      }
      next.set(agent.id, handle);
      fresh.push(handle);
      (existing ? changed : added).push(agent.id);
    }
    const previousPool = this.pool;
    if (nextPool.pool !== previousPool) await nextPool.pool?.start().catch(() => undefined);
    // New runners start before they replace the old ones, so a reload never opens a gap.
    await Promise.all(fresh.map((handle) => this.startRunner(handle)));
    const removed = [...this.handles.keys()].filter((id) => !next.has(id));
    const retired = [...this.handles.values()].filter((handle) => next.get(handle.config.id) !== handle);
    this.handles = next;
    this.pool = nextPool.pool;
    for (const handle of retired) this.retire(handle);
    if (previousPool && previousPool !== this.pool) this.track(previousPool.close({ graceful: true }));
    return { added, changed, removed };
  }

  list(): AgentSnapshot[] {
    return [...this.handles.values()].map((handle) => this.snapshot(handle));
  }

  get(agentId: string): AgentSnapshot {
    return this.snapshot(this.handleOf(agentId));
  }

  /** The shared worker pool (`agents.defaults.pool`), when one runs. */
  poolSnapshot(): PoolSnapshot | undefined {
    return this.pool?.snapshot();
  }

  /** The ids of the configured agents, in config order: cheap, no stats gathered. */
  agentIds(): string[] {
    return [...this.handles.keys()];
  }

  has(agentId: string): boolean {
    return this.handles.has(agentId);
  }

  /** Throws the error a turn for this agent would fail with now (unknown, down, queue full). */
  assertAvailable(agentId: string): void {
    const handle = this.handleOf(agentId);
    try {
      this.available(agentId).admission.assertRoom();
    } catch (error) {
      this.countRejected(handle);
      throw error;
    }
  }

  /** The agent's limits in force (cheap: no stats gathered). */
  limitsOf(agentId: string): ResolvedLimits {
    return this.handleOf(agentId).limits;
  }

  /** Counts a turn refused before it reached the admission (it timed out behind its session's). */
  countRejectedTurn(agentId: string): void {
    const handle = this.handles.get(agentId);
    if (handle) this.countRejected(handle);
  }

  /**
   * Waits for a turn slot of the agent; throws a typed error when it cannot have one. `arrivedAt`
   * (on `clock`) is when the turn reached the gateway: its queue timeout counts from then.
   */
  async acquire(agentId: string, signal?: AbortSignal, arrivedAt = this.clock.now()): Promise<TurnLease> {
    const handle = this.handleOf(agentId);
    let leave: () => void;
    try {
      this.available(agentId);
      leave = await handle.admission.enter(signal, arrivedAt);
    } catch (error) {
      if (!signal?.aborted) this.countRejected(handle);
      throw error;
    }
    if (this.handles.get(agentId) !== handle || handle.state !== "ready" || !handle.runner) {
      leave();
      // Replaced by a reload while queued: the new handle serves; otherwise the agent went down.
      if (this.handles.get(agentId) !== handle) return this.acquire(agentId, signal, arrivedAt);
      this.available(agentId);
    }
    handle.recentTurns.add();
    const runner = handle.runner as AgentRunner;
    const giveBack = handle.leases.hold();
    let released = false;
    return {
      runner,
      limits: handle.limits,
      release: (error?: unknown) => {
        if (released) return;
        released = true;
        leave();
        giveBack();
        if (error === undefined) handle.turnsCompleted++;
        else {
          handle.turnsFailed++;
          handle.lastError = toOpenClawError(error).message;
        }
      },
    };
  }

  /** Stops one agent (its thread, for a thread-bound agent) until `restart`. */
  async kill(agentId: string): Promise<AgentSnapshot> {
    const handle = this.handleOf(agentId);
    this.cancelRestart(handle);
    handle.state = "stopped";
    handle.reason = "stopped by an operator (`openclaw agents kill`)";
    const stopped = new OpenClawError(
      "OC_ERR_AGENT_UNAVAILABLE",
      `agent "${agentId}" was stopped by an operator`,
      {
        hint: `start it again with \`openclaw agents restart ${agentId}\``,
      },
    );
    handle.admission.rejectWaiting(stopped);
    const runner = handle.runner;
    handle.runner = undefined;
    await runner?.close(stopped);
    this.logger.warn({ agent: agentId }, "agent stopped by operator");
    return this.snapshot(handle);
  }

  /** Each agent's workspace directory (agents whose settings resolved). */
  workspaceRoots(): Map<string, string> {
    const roots = new Map<string, string>();
    for (const [id, handle] of this.handles)
      if (handle.settings) roots.set(id, handle.settings.workspace.root);
    return roots;
  }

  /** A heap snapshot of a thread-bound agent's worker, written into `directory`. */
  async writeHeapSnapshot(agentId: string, directory: string): Promise<{ path: string; bytes: number }> {
    const handle = this.handleOf(agentId);
    const runner = handle.runner;
    if (!runner?.writeHeapSnapshot || runner.placement !== "thread") {
      throw new OpenClawError(
        "OC_ERR_BAD_REQUEST",
        `agent "${agentId}" has no worker thread of its own to snapshot (${runner ? runner.placement : handle.state})`,
        { hint: "heap snapshots are taken of thread-bound agents; set threadBound: true on it" },
      );
    }
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const path = join(directory, `${agentId}-${stamp}.heapsnapshot`);
    const bytes = await runner.writeHeapSnapshot(path);
    this.logger.info({ agent: agentId, path, bytes }, "agent heap snapshot written");
    return { path, bytes };
  }

  /** Starts the agent afresh (a new thread), whatever its state; clears its crash history. */
  async restart(agentId: string): Promise<AgentSnapshot> {
    const handle = this.handleOf(agentId);
    this.cancelRestart(handle);
    handle.crashes.reset();
    const runner = handle.runner;
    handle.runner = undefined;
    await runner?.close(
      new OpenClawError("OC_ERR_AGENT_UNAVAILABLE", `agent "${agentId}" was restarted by an operator`, {
        details: { retryAfterMs: 1000 },
      }),
    );
    if (handle.settings) {
      await this.startRunner(handle);
      if (handle.state === "ready") this.countRestart(handle);
    }
    this.logger.info({ agent: agentId, state: handle.state }, "agent restarted by operator");
    return this.snapshot(handle);
  }

  async close(): Promise<void> {
    const handles = [...this.handles.values()];
    this.handles.clear();
    const reason = new OpenClawError("OC_ERR_AGENT_UNAVAILABLE", "the gateway is shutting down");
    for (const handle of handles) {
      handle.retired = true;
      this.cancelRestart(handle);
      handle.state = "stopped";
      handle.admission.rejectWaiting(reason);
    }
    await Promise.all(handles.map((handle) => handle.runner?.close(reason)));
    await this.pool?.close();
    this.pool = undefined;
    await Promise.all(this.retiring);
  }

  private handleOf(agentId: string): AgentHandle {
    const handle = this.handles.get(agentId);
    if (handle) return handle;
    throw new OpenClawError("OC_ERR_UNKNOWN_AGENT", `no agent "${agentId}" is configured`, {
      hint: `use one of: ${[...this.handles.keys()].join(", ") || "(none)"}`,
      details: { agentId, detailCode: "UNKNOWN_AGENT_ID" },
    });
  }

  private available(agentId: string): AgentHandle {
    const handle = this.handleOf(agentId);
    if (handle.runner && handle.state === "ready") return handle;
    const retryAfterMs =
      handle.state === "restarting" && handle.restartAt
        ? Math.max(1000, handle.restartAt - Date.now())
        : handle.state === "degraded"
          ? DEGRADED_RETRY_AFTER_MS
          : 1000;
    throw new OpenClawError("OC_ERR_AGENT_UNAVAILABLE", `agent "${agentId}" is ${handle.state}`, {
      hint: handle.reason ?? "see `openclaw agents list`",
      details: { agentId, state: handle.state, retryAfterMs },
    });
  }

  private planPool(
    config: OpenClawConfig,
    agents: ResolvedAgent[],
  ): { pool: WorkerPool | undefined; fingerprint: string } {
    const size = config.agents.defaults?.pool?.size;
    const pooled = agents.filter((agent) => !agent.threadBound);
    if (!size || pooled.length === 0) return { pool: undefined, fingerprint: "" };
    const settings: AgentRuntimeSettings[] = [];
    for (const agent of pooled) {
      try {
        settings.push(
          resolveRuntimeSettings(agent, agents, config, this.configPath, this.readCredential, this.stateDir),
        );
      } catch {
        // That agent is degraded on its own (see build); the pool serves the others.
      }
    }
    const defaults = config.agents.defaults ?? {};
    const limits = resolveLimits({
      id: "pool",
      threadBound: false,
      runtime: "agent",
      ...defaults,
    } as ResolvedAgent);
    const fingerprint = JSON.stringify({ size, settings, limits });
    if (this.pool && this.pool.fingerprint === fingerprint) return { pool: this.pool, fingerprint };
    return {
      pool: new WorkerPool({
        size,
        agents: settings,
        limits,
        fingerprint,
        logger: this.logger,
        ...(this.egressFetch ? { egressFetch: this.egressFetch } : {}),
        services: this.services,
      }),
      fingerprint,
    };
  }

  private build(
    agent: ResolvedAgent,
    all: ResolvedAgent[],
    config: OpenClawConfig,
    configPath: string,
    pool: { pool: WorkerPool | undefined; fingerprint: string },
  ): AgentHandle {
    const limits = resolveLimits(agent);
    const handle: AgentHandle = {
      config: agent,
      fingerprint: "",
      settings: undefined,
      runner: undefined,
      state: "starting",
      reason: undefined,
      model: agent.model ?? "dev/echo",
      limits,
      // turnTimeoutMs counts from arrival too: waiting longer than it could never end in a turn.
      admission: new TurnAdmission(agent.id, limits.maxConcurrent, limits.maxQueue, {
        queueTimeoutMs: Math.min(limits.queueTimeoutMs, limits.turnTimeoutMs),
        clock: this.clock,
      }),
      crashes: new CrashHistory(resolveRestartPolicy(agent)),
      restartTimer: undefined,
      restartAt: undefined,
      turnsCompleted: 0,
      turnsFailed: 0,
      turnsRejected: 0,
      recentTurns: new RecentCounter(RECENT_WINDOW_MS / 60_000),
      recentRejected: new RecentCounter(RECENT_WINDOW_MS / 60_000),
      restarts: 0,
      restartTimes: [],
      lastError: undefined,
      pool: agent.threadBound ? undefined : pool.pool,
      retired: false,
      leases: new LeaseCounter(),
    };
    try {
      handle.settings = resolveRuntimeSettings(
        agent,
        all,
        config,
        configPath,
        this.readCredential,
        this.stateDir,
      );
      handle.model = `${handle.settings.model.provider}/${handle.settings.model.model}`;
    } catch (error) {
      const failure = toOpenClawError(error, "OC_ERR_MODEL_CONFIG");
      handle.state = "degraded";
      handle.reason = failure.describe();
      this.logger.warn({ agent: agent.id, code: failure.code, reason: failure.message }, "agent degraded");
    }
    // Credentials appear here only as placeholders, so a rotated key does not rebuild the agent.
    handle.fingerprint = JSON.stringify({
      agent,
      settings: handle.settings ?? null,
      pool: handle.pool ? pool.fingerprint : null,
    });
    return handle;
  }

  private createRunner(handle: AgentHandle, settings: AgentRuntimeSettings): AgentRunner {
    if (handle.config.threadBound) {
      let runner: AgentRunner | undefined;
      const agentId = settings.agentId;
      runner = new ThreadAgentRunner(
        settings,
        (error) => {
          if (runner) this.onCrash(handle, runner, error);
        },
        {
          ...(this.egressFetch ? { egressFetch: this.egressFetch } : {}),
          services: this.services,
          onPriority: (demoted, error) => {
            if (error)
              this.logger.warn({ agent: agentId, error }, "cannot change the agent thread's CPU priority");
            else if (demoted) this.logger.info({ agent: agentId }, "agent thread busy: CPU priority lowered");
            else this.logger.info({ agent: agentId }, "agent thread calm: CPU priority restored");
          },
        },
      );
      return runner;
    }
    if (handle.pool) return handle.pool.runnerFor(settings.agentId);
    return new InlineAgentRunner(settings, this.egressFetch, this.services);
  }

  private async startRunner(handle: AgentHandle): Promise<void> {
    if (!handle.settings) return;
    handle.state = "starting";
    const runner = this.createRunner(handle, handle.settings);
    handle.runner = runner;
    try {
      await this.prepareWorkspace(handle.config, handle.settings);
      await runner.start();
      if (handle.runner !== runner) return;
      handle.state = "ready";
      handle.reason = undefined;
    } catch (error) {
      if (handle.runner !== runner) return;
      const failure = toOpenClawError(error);
      if (failure.code === "OC_ERR_AGENT_CRASHED") {
        this.onCrash(handle, runner, failure);
        return;
      }
      handle.runner = undefined;
      handle.lastError = failure.message;
      // A plugin that does not load or a model that cannot be built will not fix itself.
      handle.state = "degraded";
      handle.reason = failure.describe();
      this.logger.error(
        { agent: handle.config.id, code: failure.code, error: failure.message },
        "agent failed to start",
      );
    }
  }

  /**
   * The workspace exists before the agent runs; a sandboxed agent's container is ready, or the
   * agent does not start: its tools never fall back to the host.
   */
  private async prepareWorkspace(agent: ResolvedAgent, settings: AgentRuntimeSettings): Promise<void> {
    await mkdir(settings.workspace.root, { recursive: true, mode: 0o755 });
    if (!settings.workspace.sandboxed) return;
    if (!this.sandbox) {
      throw new OpenClawError(
        "OC_ERR_SANDBOX_UNAVAILABLE",
        `agent "${agent.id}" needs a Docker sandbox, and none is set up`,
        {
          hint: "run the agent in the gateway, which provides the sandbox",
        },
      );
    }
    await this.sandbox.prepare(agent.id, agent.sandbox?.docker, settings.workspace.root);
  }

  private onCrash(handle: AgentHandle, runner: AgentRunner, error: OpenClawError): void {
    if (handle.runner !== runner || handle.retired) return;
    handle.runner = undefined;
    handle.lastError = error.message;
    handle.crashes.record();
    const agentId = handle.config.id;
    if (handle.crashes.exhausted()) {
      handle.state = "degraded";
      handle.reason = `crashed ${handle.crashes.count()} times within limits; last: ${error.message}. Fix the cause, then \`openclaw agents restart ${agentId}\``;
      handle.admission.rejectWaiting(error);
      this.logger.error(
        { agent: agentId, code: error.code, error: error.message },
        "agent degraded after repeated crashes",
      );
      return;
    }
    const delayMs = handle.crashes.backoffMs();
    handle.state = "restarting";
    handle.reason = `restarting in ${delayMs} ms after: ${error.message}`;
    handle.restartAt = Date.now() + delayMs;
    this.logger.error(
      { agent: agentId, code: error.code, error: error.message, restartInMs: delayMs },
      "agent crashed",
    );
    handle.restartTimer = setTimeout(() => {
      handle.restartTimer = undefined;
      handle.restartAt = undefined;
      if (handle.state !== "restarting") return;
      void this.startRunner(handle).then(() => {
        if (handle.state === "ready") {
          this.countRestart(handle);
          this.logger.info({ agent: agentId, restarts: handle.restarts }, "agent restarted");
        }
      });
    }, delayMs);
  }

  private countRejected(handle: AgentHandle): void {
    handle.turnsRejected++;
    handle.recentTurns.add();
    handle.recentRejected.add();
  }

  private countRestart(handle: AgentHandle): void {
    handle.restarts++;
    const now = Date.now();
    handle.restartTimes = [...handle.restartTimes.filter((at) => now - at < RECENT_WINDOW_MS), now];
  }

  private cancelRestart(handle: AgentHandle): void {
    if (handle.restartTimer) clearTimeout(handle.restartTimer);
    handle.restartTimer = undefined;
    handle.restartAt = undefined;
  }

  private retire(handle: AgentHandle): void {
    handle.retired = true;
    this.cancelRestart(handle);
    const next = this.handles.get(handle.config.id);
    if (handle.settings?.workspace.sandboxed && !next?.settings?.workspace.sandboxed) {
      this.track(this.sandbox?.release(handle.config.id) ?? Promise.resolve());
    }
    const runner = handle.runner;
    if (!runner) return;
    const reason = new OpenClawError(
      "OC_ERR_AGENT_UNAVAILABLE",
      `agent "${handle.config.id}" was replaced by a config reload`,
      {
        details: { retryAfterMs: 1000 },
      },
    );
    // Turns that hold a slot of this handle but have not reached its runner yet (reading their
    // history, writing the user message) must find it open: close once they are all back.
    this.track(
      handle.leases.drained(RETIRE_LEASE_WAIT_MS).then(() => runner.close(reason, { graceful: true })),
    );
  }

  private track(closing: Promise<void>): void {
    const tracked = closing.catch(() => undefined).finally(() => this.retiring.delete(tracked));
    this.retiring.add(tracked);
  }

  private snapshot(handle: AgentHandle): AgentSnapshot {
    const stats = handle.runner?.stats() ?? {};
    const placement: AgentPlacement = handle.config.threadBound ? "thread" : handle.pool ? "pool" : "main";
    return {
      id: handle.config.id,
      name: handle.config.name,
      runtime: handle.config.runtime,
      threadBound: handle.config.threadBound,
      placement,
      threadId: stats.threadId,
      state: handle.state,
      reason: handle.reason,
      model: handle.model,
      usesDevModel: handle.settings?.model.type === "dev",
      heapUsedBytes: stats.heapUsedBytes,
      heapLimitBytes: stats.heapLimitBytes,
      eventLoopUtilization: stats.eventLoopUtilization,
      cpuDemoted: stats.cpuDemoted ?? false,
      turnsInFlight: handle.admission.activeCount,
      queueDepth: handle.admission.queueDepth,
      turnsCompleted: handle.turnsCompleted,
      turnsFailed: handle.turnsFailed,
      restarts: handle.restarts,
      recentRestarts: handle.restartTimes.filter((at) => Date.now() - at < RECENT_WINDOW_MS).length,
      turnsRejected: handle.turnsRejected,
      recentTurns: handle.recentTurns.total(),
      recentRejected: handle.recentRejected.total(),
      lastError: handle.lastError,
      limits: handle.limits,
    };
  }
}
