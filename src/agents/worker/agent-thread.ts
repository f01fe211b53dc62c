import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { Worker } from "node:worker_threads";
import { agentWorkerBootPath } from "../../entry-points.js";
import { OpenClawError } from "../../errors.js";
import type { ProviderFetch } from "../../models/index.js";
import type { RunnerStats, RunnerTurnInput, SubagentDelegate } from "../agent-runner.js";
import type { AgentRuntimeSettings, ResolvedLimits } from "../agent-settings.js";
import type { HostServiceCaller } from "../host-services/host-service.js";
import type { HostServiceRegistry } from "../host-services/host-service-registry.js";
import type { TurnEventSink, TurnOutcome } from "../turn/turn-events.js";
import { fromWireError, toWireError } from "../wire-error.js";
import { processCompileCacheDir } from "./compile-cache.js";
import { CpuGovernor, EVERY_SAMPLE_MS } from "./cpu-governor.js";
import { EgressRelayHost } from "./egress-relay.js";
import { HostCallRelayHost } from "./host-call-relay.js";
import { ThreadLoad } from "./thread-load.js";
import { ThreadWatchdog } from "./thread-watchdog.js";
import { TurnBatch } from "./turn-batch.js";
import type { FromWorkerMessage, ToWorkerMessage, TurnMessage, WorkerBootData } from "./worker-protocol.js";

const START_TIMEOUT_MS = 30_000;
const MB = 1024 * 1024;

/**
 * `limits.maxHeapMb` is enforced by the gateway, which samples the worker's heap and ends the
 * thread past it. V8's own limit sits above it only as a backstop: when a worker reaches V8's
 * limit, Node's out-of-memory handling is best effort and can abort the whole process instead of
 * the one worker (nodejs/node#47224; seen here with a plugin retaining arrays in a loop).
 */
export function hardHeapLimitMb(maxHeapMb: number): number {
  return maxHeapMb + Math.max(64, Math.ceil(maxHeapMb / 2));
}

interface PendingTurn extends HostServiceCaller {
  resolve: (outcome: TurnOutcome) => void;
  reject: (error: OpenClawError) => void;
  emit: TurnEventSink;
  delegate: SubagentDelegate;
  onAbort: () => void;
}

export interface AgentThreadOptions {
  /** Used in the thread's name and in error messages. */
  label: string;
  agents: AgentRuntimeSettings[];
  /** The thread's limits (heap, stack, watchdog); for a pool, the pool's. */
  limits: ResolvedLimits;
  /** Called once if the thread dies on its own after it started. */
  onCrash: (error: OpenClawError) => void;
  /** Told when the thread's CPU priority is lowered (busy) or restored, with an error if it failed. */
  onPriority?: (demoted: boolean, error?: string) => void;
  /** The gateway's egress path for the agents' provider requests (swaps credential placeholders). */
  egressFetch: ProviderFetch;
  /** The gateway's services the agents' tools may call (sandbox, memory, canvas, ...). */
  hostServices: HostServiceRegistry;
}

/**
 * One worker thread hosting one agent (thread-bound) or several (a pool worker), seen from the
 * gateway: it starts the worker with an empty environment and capped resources, routes turns
 * and their events, and relays what the worker asks of the gateway (provider requests, host
 * services, subagent runs). A crash, an out-of-memory or a stalled event loop (see
 * ThreadWatchdog) ends the thread and fails exactly the turns that were running on it.
 */
export class AgentThread {
  private readonly worker: Worker;
  private readonly pending = new Map<string, PendingTurn>();
  private readonly watchdog: ThreadWatchdog;
  private readonly load: ThreadLoad;
  private failure: OpenClawError | undefined;
  private readyPromise: Promise<void>;
  private closing = false;
  private started = false;
  private failedAgents: Record<string, OpenClawError> = {};
  private exited = false;
  private exitPromise: Promise<void>;
  private readonly egress: EgressRelayHost;
  private readonly hostCalls: HostCallRelayHost;
  private governor: CpuGovernor | undefined;
  private readonly turns: TurnBatch<TurnMessage>;
  readonly threadId: number;

  constructor(private readonly options: AgentThreadOptions) {
    const { limits } = options;
    const compileCacheDir = processCompileCacheDir();
    const boot: WorkerBootData = {
      agents: options.agents,
      hostServices: options.hostServices.names(),
      ...(compileCacheDir ? { compileCacheDir } : {}),
    };
    this.worker = new Worker(agentWorkerBootPath(), {
      name: `openclaw:${options.label}`,
      // The agent's code (and its plugins) must not see the gateway's environment: keys live there.
      env: {},
      workerData: boot,
      resourceLimits: {
        maxOldGenerationSizeMb: hardHeapLimitMb(limits.maxHeapMb),
        stackSizeMb: limits.stackMb,
      },
      stdout: false,
      stderr: false,
    });
    this.threadId = this.worker.threadId;
    this.load = new ThreadLoad(this.worker.performance);
    this.watchdog = new ThreadWatchdog({
      label: options.label,
      limits,
      busy: () => this.pending.size > 0,
      readHeap: () => this.worker.getHeapStatistics().then((heap) => heap.used_heap_size),
      terminate: (reason) => this.terminate(reason),
    });
    this.turns = new TurnBatch<TurnMessage>(
      (turns) => {
        if (this.exited) return;
        const [only] = turns;
        this.worker.postMessage(turns.length === 1 && only ? only : { type: "turns", turns });
      },
      (turn, error) =>
        this.settle(turn.turnId)?.reject(
          new OpenClawError(
            "OC_ERR_INTERNAL",
            `the turn could not be sent to ${options.label}: ${String(error)}`,
          ),
        ),
    );
    this.egress = new EgressRelayHost(options.egressFetch, (message, transfer) => {
      this.turns.flush();
      if (!this.exited) this.worker.postMessage(message, transfer);
    });
    this.hostCalls = new HostCallRelayHost(options.hostServices, (message) => this.post(message));
    this.exitPromise = new Promise((resolve) => this.worker.once("exit", () => resolve()));
    this.readyPromise = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new OpenClawError(
          "OC_ERR_AGENT_CRASHED",
          `${options.label} did not start within ${START_TIMEOUT_MS / 1000} s`,
        );
        reject(error);
        this.terminate(error);
      }, START_TIMEOUT_MS);
      this.worker.on("message", (message: FromWorkerMessage) => {
        if (message.type === "ready") {
          clearTimeout(timer);
          this.started = true;
          for (const [agentId, error] of Object.entries(message.failed)) {
            this.failedAgents[agentId] = fromWireError(error);
          }
          this.watchdog.start();
          if (message.tid !== undefined) this.startGovernor(message.tid);
          resolve();
        } else if (message.type === "init-failed") {
          clearTimeout(timer);
          reject(fromWireError(message.error));
          this.closing = true;
          void this.worker.terminate();
        } else {
          this.onMessage(message);
        }
      });
      this.worker.on("error", (error: Error & { code?: string }) => {
        this.failure ??= this.describeFailure(error);
      });
      this.worker.on("exit", (code) => {
        clearTimeout(timer);
        this.exited = true;
        killProcessGroups(this.backgroundProcesses);
        this.watchdog.stop();
        this.governor?.stop();
        this.egress.abortAll();
        this.hostCalls.abortAll();
        const failure =
          this.failure ??
          new OpenClawError("OC_ERR_AGENT_CRASHED", `${options.label}'s thread exited with code ${code}`, {
            hint: "see the gateway log for the agent's last error",
          });
        reject(failure);
        this.failAll(failure);
        // Before it started, the failure is start()'s to report.
        if (!this.closing && this.started) options.onCrash(failure);
      });
    });
    // A start failure is reported through start(); this keeps it from being an unhandled rejection.
    this.readyPromise.catch(() => undefined);
  }

  start(): Promise<void> {
    return this.readyPromise;
  }

  /** Why an agent of this (pool) thread could not be set up, if it could not. */
  startFailureOf(agentId: string): OpenClawError | undefined {
    return this.failedAgents[agentId];
  }

  get inFlight(): number {
    return this.pending.size;
  }

  get alive(): boolean {
    return !this.exited && !this.closing;
  }

  /** Whether the thread's event loop answered recently: a stalling thread stops being a target. */
  get responsive(): boolean {
    return this.watchdog.responsive;
  }

  runTurn(input: RunnerTurnInput): Promise<TurnOutcome> {
    if (!this.alive) {
      return Promise.reject(
        this.failure ?? new OpenClawError("OC_ERR_AGENT_UNAVAILABLE", `${this.options.label} is not running`),
      );
    }
    if (input.signal.aborted) return Promise.reject(input.signal.reason);
    const turnId = crypto.randomUUID();
    return new Promise<TurnOutcome>((resolve, reject) => {
      // The host gives up on an aborted turn at once: a worker whose event loop is stuck could
      // never acknowledge it, and the watchdog deals with the thread itself.
      const onAbort = () => {
        this.post({ type: "abort", turnId, reason: toWireError(input.signal.reason) });
        this.settle(turnId)?.reject(input.signal.reason);
      };
      input.signal.addEventListener("abort", onAbort, { once: true });
      const { agentId, sessionKey, signal, emit, delegate } = input;
      this.pending.set(turnId, { resolve, reject, agentId, sessionKey, signal, emit, delegate, onAbort });
      const idleServices = this.options.hostServices.idleFor(agentId);
      this.turns.add({
        type: "turn",
        turnId,
        agentId,
        sessionKey,
        messages: input.messages,
        depth: input.depth,
        ...(input.invoke ? { invoke: input.invoke } : {}),
        ...(input.clientTools ? { clientTools: input.clientTools } : {}),
        ...(idleServices ? { idleServices } : {}),
      });
    });
  }

  /** Waits up to `graceMs` for running turns, then ends the thread; what still runs fails with `reason`. */
  async close(reason: OpenClawError, graceMs = 0): Promise<void> {
    if (this.exited) return;
    this.closing = true;
    const deadline = Date.now() + graceMs;
    while (this.pending.size > 0 && Date.now() < deadline && !this.exited) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    this.terminate(reason);
    await this.exitPromise;
  }

  /** Dumps the worker's heap (not the gateway's) to a new file, readable by its owner only. */
  async writeHeapSnapshot(path: string): Promise<number> {
    if (!this.alive)
      throw new OpenClawError("OC_ERR_AGENT_UNAVAILABLE", `${this.options.label} is not running`);
    const snapshot = await this.worker.getHeapSnapshot();
    await pipeline(snapshot, createWriteStream(path, { mode: 0o600, flags: "wx" }));
    return (await stat(path)).size;
  }

  stats(): RunnerStats {
    const eventLoopUtilization = this.exited ? this.load.last() : this.load.recent();
    const heapUsed = this.watchdog.heapUsed;
    return {
      threadId: this.threadId,
      ...(this.governor?.demoted ? { cpuDemoted: true } : {}),
      ...(heapUsed !== undefined ? { heapUsedBytes: heapUsed } : {}),
      heapLimitBytes: this.options.limits.maxHeapMb * MB,
      ...(eventLoopUtilization !== undefined ? { eventLoopUtilization } : {}),
    };
  }

  private onMessage(message: FromWorkerMessage): void {
    switch (message.type) {
      case "heartbeat":
        this.watchdog.heartbeat(message.heapUsed);
        break;
      case "background-process":
        if (message.running) this.backgroundProcesses.add(message.pid);
        else this.backgroundProcesses.delete(message.pid);
        break;
      case "turn-events": {
        const turn = this.pending.get(message.turnId);
        for (const event of message.events) turn?.emit(event);
        break;
      }
      case "turn-ends":
        for (const end of message.ends) this.onMessage(end);
        break;
      case "turn-done": {
        const turn = this.settle(message.turnId);
        for (const event of message.events ?? []) turn?.emit(event);
        turn?.resolve(message.outcome);
        break;
      }
      case "turn-failed": {
        const turn = this.settle(message.turnId);
        for (const event of message.events ?? []) turn?.emit(event);
        turn?.reject(fromWireError(message.error));
        break;
      }
      case "subagent-run":
        this.runSubagent(message);
        break;
      case "host-call":
      case "host-call-abort":
        // Who asks is the turn's agent and session as recorded here, whatever the worker says.
        this.hostCalls.handle(message, (turnId) => this.pending.get(turnId));
        break;
      case "egress-request":
      case "egress-abort":
        this.egress.handle(message);
        break;
    }
  }

  private runSubagent(message: Extract<FromWorkerMessage, { type: "subagent-run" }>): void {
    const turn = this.pending.get(message.turnId);
    const { runId } = message;
    if (!turn) {
      const error = new OpenClawError("OC_ERR_SUBAGENT", "the delegating turn has ended");
      this.post({ type: "subagent-done", runId, ok: false, error: toWireError(error) });
      return;
    }
    turn.delegate({ runId, agentId: message.agentId, task: message.task, depth: message.depth }).then(
      (text) => this.post({ type: "subagent-done", runId, ok: true, text }),
      (error) => this.post({ type: "subagent-done", runId, ok: false, error: toWireError(error) }),
    );
  }

  private settle(turnId: string): PendingTurn | undefined {
    const turn = this.pending.get(turnId);
    if (!turn) return undefined;
    this.pending.delete(turnId);
    turn.signal.removeEventListener("abort", turn.onAbort);
    this.hostCalls.abortTurn(turnId);
    return turn;
  }

  private failAll(error: OpenClawError): void {
    for (const turnId of [...this.pending.keys()]) this.settle(turnId)?.reject(error);
  }

  /**
   * Process groups of the worker's background processes. A terminated (or crashed) thread runs
   * no cleanup of its own, so this side kills what it left: an agent restart leaves nothing.
   */
  private readonly backgroundProcesses = new Set<number>();

  /** Asks the worker to give the memory its heap freed back to the OS (the gateway is idle). */
  releaseHeap(): void {
    this.post({ type: "release-heap" });
  }

  /** Tells the worker that a session ended: it kills the session's background processes. */
  endSession(agentId: string, sessionKey: string): void {
    this.post({ type: "end-session", agentId, sessionKey });
  }

  private post(message: ToWorkerMessage): void {
    // Turns still gathering go first: an abort or an answer never overtakes its turn.
    this.turns.flush();
    if (!this.exited) this.worker.postMessage(message);
  }

  private startGovernor(tid: number): void {
    const { busyNice } = this.options.limits;
    if (busyNice <= 0) return;
    this.governor = new CpuGovernor({
      tid,
      nice: busyNice,
      utilization: () => (this.exited ? undefined : this.load.sinceLastSample()),
      onChange: (demoted, error) => this.options.onPriority?.(demoted, error),
      schedule: EVERY_SAMPLE_MS,
    });
    this.governor.start();
  }

  private terminate(reason: OpenClawError): void {
    this.failure ??= reason;
    this.watchdog.stop();
    void this.worker.terminate();
  }

  private describeFailure(error: Error & { code?: string }): OpenClawError {
    if (error.code === "ERR_WORKER_OUT_OF_MEMORY") {
      return new OpenClawError(
        "OC_ERR_AGENT_CRASHED",
        `${this.options.label} ran out of memory (limits.maxHeapMb is ${this.options.limits.maxHeapMb})`,
        { hint: "a tool or plugin keeps too much in memory; fix it or raise limits.maxHeapMb" },
      );
    }
    return new OpenClawError("OC_ERR_AGENT_CRASHED", `${this.options.label} crashed: ${error.message}`, {
      hint: "an uncaught error in a tool or plugin ends the agent's thread; fix the plugin",
    });
  }
}

function killProcessGroups(groups: Set<number>): void {
  for (const pid of groups) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // ESRCH: already gone.
    }
  }
  groups.clear();
}
