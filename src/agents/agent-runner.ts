import type { ResolvedAgent } from "../config/index.js";
import type { OpenClawError } from "../errors.js";
import type { ChatMessage } from "../models/types.js";
import type { CommandRequest, CommandResult } from "../tools/index.js";
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
  stats(): RunnerStats;
  /**
   * Writes a V8 heap snapshot of the agent's own thread to `path`; returns its size in bytes.
   * Only runners with a thread of their own have one: the main thread's heap holds the
   * gateway's secrets and is never dumped through this path.
   */
  writeHeapSnapshot?(path: string): Promise<number>;
}

/** Told to the supervisor when a runner dies on its own (uncaught error, out of memory, stall). */
export type RunnerCrashHandler = (error: OpenClawError) => void;

/** A command of a sandboxed agent: which agent, which session (per-session scope), what to run. */
export interface SandboxExecRequest extends Omit<CommandRequest, "signal"> {
  agentId: string;
  sessionKey: string;
}

/** The gateway's Docker sandboxes, as the supervisor and the agents' `exec` see them. */
export interface SandboxHost {
  /** Makes the agent's container ready (engine, image, binds); throws a typed error if it cannot. */
  prepare(
    agentId: string,
    docker: NonNullable<ResolvedAgent["sandbox"]>["docker"],
    workspaceRoot: string,
  ): Promise<void>;
  exec(request: SandboxExecRequest): Promise<CommandResult>;
  /** The agent is gone (removed, or no longer sandboxed): its containers go too. */
  release(agentId: string): Promise<void>;
}

/** What a memory tool asks of the gateway's memory for its agent. */
export interface MemoryCall {
  agentId: string;
  sessionKey: string;
  op: "store" | "search" | "forget";
  input: unknown;
}

/**
 * What an agent's runtime asks of the gateway, wherever the agent runs: commands in its sandbox,
 * its memory. A worker thread reaches them through the host-call relay; inline agents directly.
 */
export interface HostServices {
  sandboxExec?: (request: SandboxExecRequest) => Promise<CommandResult>;
  memory?: (call: MemoryCall) => Promise<unknown>;
  canvas?: (call: CanvasCall) => Promise<unknown>;
}

/** What the canvas tool asks of the session's canvas. */
export interface CanvasCall {
  agentId: string;
  sessionKey: string;
  action: string;
  input: Record<string, unknown>;
}
