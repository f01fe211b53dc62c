import type { OpenClawError } from "../errors.js";
import type { ChatMessage, ToolCall, ToolDescriptor } from "../models/types.js";
import type { TurnEventSink, TurnOutcome } from "./turn/turn-events.js";

export type AgentPlacement = "main" | "thread" | "pool";

/** A delegation request from a running turn; the host runs the target agent's turn. */
export interface SubagentRequest {
  runId: string;
  agentId: string;
  task: string;
  /** Depth of the delegated turn (the top-level turn is 0). */
  depth: number;
}

export type SubagentDelegate = (request: SubagentRequest) => Promise<string>;

export interface RunnerTurnInput {
  agentId: string;
  sessionKey: string;
  messages: ChatMessage[];
  depth: number;
  signal: AbortSignal;
  emit: TurnEventSink;
  delegate: SubagentDelegate;
  /** Only this call of the agent's tools, no model step (see run-turn). */
  invoke?: ToolCall;
  /** Tools the HTTP client runs itself (see run-turn). */
  clientTools?: ToolDescriptor[];
}

export interface RunnerStats {
  /** Worker thread id for thread and pool placement. */
  threadId?: number;
  heapUsedBytes?: number;
  heapLimitBytes?: number;
  /** Event-loop utilisation (0..1) of the thread the agent runs on, over the last second or so. */
  eventLoopUtilization?: number;
  /** The thread runs at a lower OS priority because it kept its event loop busy (limits.busyNice). */
  cpuDemoted?: boolean;
}

/** Where an agent's turns execute: the gateway's main thread, its own worker thread, or a pool. */
export interface AgentRunner {
  readonly placement: AgentPlacement;
  /** Resolves when turns can run; rejects with a typed error when the agent cannot start. */
  start(): Promise<void>;
  runTurn(input: RunnerTurnInput): Promise<TurnOutcome>;
  /**
   * Stops the runner; in-flight turns fail with `reason`. Graceful (a config reload replacing
   * the agent) lets in-flight turns finish first, within a bound.
   */
  close(reason: OpenClawError, options?: { graceful?: boolean }): Promise<void>;
  /** A chat session of `agentId` has ended (deleted): its background processes are killed. */
  endSession?(agentId: string, sessionKey: string): Promise<void>;
  stats(): RunnerStats;
  /**
   * Writes a V8 heap snapshot of the agent's own thread to `path`; returns its size in bytes.
   * Only runners with a thread of their own have one: the main thread's heap holds the
   * gateway's secrets and is never dumped through this path.
   */
  writeHeapSnapshot?(path: string): Promise<number>;
  /**
   * The heap(s) of the thread(s) this runner's agent runs on, to be released when the gateway is
   * idle: the same object for every agent of one pool, so each thread is asked once.
   */
  heap?(): ReleasableHeap;
}

/** A worker thread (or a pool of them) that can give its freed memory back to the OS. */
export interface ReleasableHeap {
  releaseHeap(): void;
}

/** Told to the supervisor when a runner dies on its own (uncaught error, out of memory, stall). */
export type RunnerCrashHandler = (error: OpenClawError) => void;
