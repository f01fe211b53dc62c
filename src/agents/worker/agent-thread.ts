import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { EventLoopUtilization } from "node:perf_hooks";
import { pipeline } from "node:stream/promises";
import { Worker } from "node:worker_threads";
import { OpenClawError } from "../../errors.js";
import type { ProviderFetch } from "../../models/index.js";
import type { HostServices, RunnerStats, RunnerTurnInput, SubagentDelegate } from "../agent-runner.js";
import type { AgentRuntimeSettings, ResolvedLimits } from "../agent-settings.js";
import type { TurnEventSink, TurnOutcome } from "../turn/turn-events.js";
import { fromWireError, toWireError } from "../wire-error.js";
import { CpuGovernor } from "./cpu-governor.js";
import { EgressRelayHost } from "./egress-relay.js";
import { workerEntryPath } from "./worker-entry.js";
import {
  type FromWorkerMessage,
  HEARTBEAT_INTERVAL_MS,
  type HostCall,
  type ToWorkerMessage,
  type WorkerBootData,
} from "./worker-protocol.js";

const START_TIMEOUT_MS = 30_000;
const MB = 1024 * 1024;
/** How often a busy worker's heap is sampled from outside. */
const HEAP_SAMPLE_MS = 50;

/**
 * `limits.maxHeapMb` is enforced by the gateway, which samples the worker's heap and ends the
 * thread past it. V8's own limit sits above it only as a backstop: when a worker reaches V8's
 * limit, Node's out-of-memory handling is best effort and can abort the whole process instead of
 * the one worker (nodejs/node#47224; seen here with a plugin retaining arrays in a loop).
 */
export function hardHeapLimitMb(maxHeapMb: number): number {
  return maxHeapMb + Math.max(64, Math.ceil(maxHeapMb / 2));
}

interface PendingTurn {
  resolve: (outcome: TurnOutcome) => void;
  reject: (error: OpenClawError) => void;
  emit: TurnEventSink;
  delegate: SubagentDelegate;
  signal: AbortSignal;
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
  egressFetch?: ProviderFetch;
  /** The gateway's services the agents may call (sandbox, memory). */
  services?: HostServices;
}

/**
 * One worker thread hosting one agent (thread-bound) or several (a pool worker), seen from the
 * gateway: it starts the worker with an empty environment and capped resources, routes turns
 * and their events, and watches the heartbeat. A crash, an out-of-memory or a stalled event loop
 * ends the thread and fails exactly the turns that were running on it.
 */
export class AgentThread {
  private readonly worker: Worker;
  private readonly pending = new Map<string, PendingTurn>();
  private lastHeartbeatAt = 0;
  private heapUsed: number | undefined;
  private eluBase: EventLoopUtilization | undefined;
  private eluValue: number | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private heapGuard: NodeJS.Timeout | undefined;
  private sampling = false;
  private failure: OpenClawError | undefined;
  private readyPromise: Promise<void>;
  private closing = false;
  private started = false;
  private failedAgents: Record<string, OpenClawError> = {};
  private exited = false;
  private exitPromise: Promise<void>;
  private readonly egress: EgressRelayHost;
  private governor: CpuGovernor | undefined;
  private governorBase: EventLoopUtilization | undefined;
  readonly threadId: number;

  constructor(private readonly options: AgentThreadOptions) {
    const { limits } = options;
    const boot: WorkerBootData = { agents: options.agents };
    this.worker = new Worker(workerEntryPath(), {
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
    this.egress = new EgressRelayHost(options.egressFetch ?? globalThis.fetch, (message, transfer) =>
      this.worker.postMessage(message, transfer),
    );
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
          this.lastHeartbeatAt = performance.now();
          this.startWatchdog();
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
        this.stopWatchdog();
        this.governor?.stop();
        this.egress.abortAll();
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
    return performance.now() - this.lastHeartbeatAt <= 4 * HEARTBEAT_INTERVAL_MS;
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
      this.pending.set(turnId, {
        resolve,
        reject,
        emit: input.emit,
        delegate: input.delegate,
        signal: input.signal,
        onAbort,
      });
      this.post({
        type: "turn",
        turnId,
        agentId: input.agentId,
        sessionKey: input.sessionKey,
        messages: input.messages,
        depth: input.depth,
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
    if (!this.exited) {
      // Sampled by the gateway from outside the thread, so a busy agent cannot misreport it.
      const now = this.worker.performance.eventLoopUtilization();
      if (this.eluBase) {
        const delta = this.worker.performance.eventLoopUtilization(now, this.eluBase);
        if (delta.idle + delta.active >= 1000 || this.eluValue === undefined) {
          this.eluValue = delta.utilization;
          this.eluBase = now;
        }
      } else {
        this.eluBase = now;
      }
    }
    return {
      threadId: this.threadId,
      ...(this.governor?.demoted ? { cpuDemoted: true } : {}),
      ...(this.heapUsed !== undefined ? { heapUsedBytes: this.heapUsed } : {}),
      heapLimitBytes: this.options.limits.maxHeapMb * MB,
      ...(this.eluValue !== undefined ? { eventLoopUtilization: this.eluValue } : {}),
    };
  }

  private onMessage(message: FromWorkerMessage): void {
    switch (message.type) {
      case "heartbeat":
        this.lastHeartbeatAt = performance.now();
        this.checkHeap(message.heapUsed);
        break;
      case "turn-events": {
        const turn = this.pending.get(message.turnId);
        for (const event of message.events) turn?.emit(event);
        break;
      }
      case "turn-done":
        this.settle(message.turnId)?.resolve(message.outcome);
        break;
      case "turn-failed":
        this.settle(message.turnId)?.reject(fromWireError(message.error));
        break;
      case "subagent-run":
        this.runSubagent(message);
        break;
      case "host-call":
        this.runHostCall(message.requestId, message.call);
        break;
      case "egress-request":
      case "egress-abort":
        this.egress.handle(message);
        break;
    }
  }

  private runHostCall(requestId: string, call: HostCall): void {
    const services = this.options.services ?? {};
    const refused = (
      code: "OC_ERR_SANDBOX_UNAVAILABLE" | "OC_ERR_MEMORY" | "OC_ERR_AGENT_UNAVAILABLE",
      message: string,
    ) => Promise.reject(new OpenClawError(code, message));
    const done =
      call.service === "sandbox"
        ? services.sandboxExec
          ? services.sandboxExec(call.request)
          : refused("OC_ERR_SANDBOX_UNAVAILABLE", "no sandbox is set up for this agent")
        : call.service === "memory"
          ? services.memory
            ? services.memory(call.call)
            : refused("OC_ERR_MEMORY", "memory is off (memory.enabled is false)")
          : services.canvas
            ? services.canvas(call.call)
            : refused("OC_ERR_AGENT_UNAVAILABLE", "the canvas is not available");
    done.then(
      (result) => this.post({ type: "host-call-done", requestId, ok: true, result }),
      (error: unknown) =>
        this.post({ type: "host-call-done", requestId, ok: false, error: toWireError(error) }),
    );
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
    return turn;
  }

  private failAll(error: OpenClawError): void {
    for (const turnId of [...this.pending.keys()]) this.settle(turnId)?.reject(error);
  }

  private post(message: ToWorkerMessage): void {
    if (!this.exited) this.worker.postMessage(message);
  }

  private checkHeap(used: number): void {
    this.heapUsed = used;
    const { maxHeapMb } = this.options.limits;
    if (used <= maxHeapMb * MB || !this.alive) return;
    this.terminate(
      new OpenClawError(
        "OC_ERR_AGENT_CRASHED",
        `${this.options.label} ran out of memory: ${Math.round(used / MB)} MB of heap in use (limits.maxHeapMb is ${maxHeapMb})`,
        { hint: "a tool or plugin keeps too much in memory; fix it or raise limits.maxHeapMb" },
      ),
    );
  }

  /**
   * An idle worker reports its heap with each heartbeat. A busy one may not get to: a tight
   * allocation loop blocks its event loop, so then the heap is sampled from outside, which V8
   * serves through an interrupt even in the middle of that loop.
   */
  private sampleHeap(): void {
    const busy =
      this.pending.size > 0 || performance.now() - this.lastHeartbeatAt > 3 * HEARTBEAT_INTERVAL_MS;
    if (!busy || this.sampling || !this.alive) return;
    this.sampling = true;
    this.worker
      .getHeapStatistics()
      .then((heap) => this.checkHeap(heap.used_heap_size))
      .catch(() => undefined)
      .finally(() => {
        this.sampling = false;
      });
  }

  private startGovernor(tid: number): void {
    const { busyNice } = this.options.limits;
    if (busyNice <= 0) return;
    this.governor = new CpuGovernor(
      tid,
      busyNice,
      () => {
        if (this.exited) return undefined;
        const now = this.worker.performance.eventLoopUtilization();
        const base = this.governorBase;
        this.governorBase = now;
        return base ? this.worker.performance.eventLoopUtilization(now, base).utilization : undefined;
      },
      (demoted, error) => this.options.onPriority?.(demoted, error),
    );
    this.governor.start();
  }

  private startWatchdog(): void {
    this.heapGuard = setInterval(() => this.sampleHeap(), HEAP_SAMPLE_MS);
    this.heapGuard.unref();
    const { watchdogMs } = this.options.limits;
    this.watchdog = setInterval(
      () => {
        const silentMs = performance.now() - this.lastHeartbeatAt;
        if (silentMs <= watchdogMs) return;
        this.terminate(
          new OpenClawError(
            "OC_ERR_AGENT_CRASHED",
            `${this.options.label}'s event loop was blocked for ${Math.round(silentMs)} ms (limits.watchdogMs is ${watchdogMs})`,
            {
              hint: "a tool or plugin is running synchronous code without yielding; fix it or raise limits.watchdogMs",
            },
          ),
        );
      },
      Math.max(25, Math.min(1000, watchdogMs / 4)),
    );
    this.watchdog.unref();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    if (this.heapGuard) clearInterval(this.heapGuard);
    this.watchdog = undefined;
    this.heapGuard = undefined;
  }

  private terminate(reason: OpenClawError): void {
    this.failure ??= reason;
    this.stopWatchdog();
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
