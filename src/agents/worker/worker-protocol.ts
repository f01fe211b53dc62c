import type { ChatMessage, ToolCall, ToolDescriptor } from "../../models/types.js";
import type { AgentRuntimeSettings } from "../agent-settings.js";
import type { TurnEvent, TurnOutcome } from "../turn/turn-events.js";

/** A typed error crossing the thread boundary (Error objects lose their class on the way). */
export interface WireError {
  code: string;
  message: string;
  hint?: string;
}

/** What a worker is started with: one agent for a thread-bound agent, several for a pool worker. */
export interface WorkerBootData {
  agents: AgentRuntimeSettings[];
  /** The host services the gateway registered: the agents' tools are chosen by them. */
  hostServices: string[];
  /** The gateway's compile cache directory, which agent-worker-boot turns on for the thread. */
  compileCacheDir?: string;
}

/**
 * A tool's call of a host service (see HostServiceRegistry), relayed to the gateway. It names
 * the turn it is made for and nothing else about who asks: the gateway takes the agent and the
 * session from its own record of that turn.
 */
export type HostCallFromWorker =
  | {
      type: "host-call";
      requestId: string;
      turnId: string;
      service: string;
      operation: string;
      input: unknown;
    }
  | { type: "host-call-abort"; requestId: string };

export type HostCallToWorker =
  | { type: "host-call-done"; requestId: string; ok: true; result: unknown }
  | { type: "host-call-done"; requestId: string; ok: false; error: WireError };

/** A provider request of the agent's model, relayed to the gateway's egress path. */
export type EgressFromWorker =
  | {
      type: "egress-request";
      requestId: string;
      url: string;
      method: string;
      headers: [string, string][];
      body?: Uint8Array;
    }
  | { type: "egress-abort"; requestId: string };

/** The answer to a relayed request, streamed back chunk by chunk. */
export type EgressToWorker =
  | {
      type: "egress-head";
      requestId: string;
      status: number;
      statusText: string;
      headers: [string, string][];
    }
  | { type: "egress-chunk"; requestId: string; chunk: Uint8Array }
  | { type: "egress-end"; requestId: string }
  /** `network`: the request never got an answer (refused, reset): the SDK reports it as such. */
  | { type: "egress-error"; requestId: string; error: WireError; network: boolean };

/** How a turn ended, as the worker reports it. */
export type TurnEnd = Extract<FromWorkerMessage, { type: "turn-done" | "turn-failed" }>;

/** One turn for the worker to run. */
export interface TurnMessage {
  type: "turn";
  turnId: string;
  agentId: string;
  sessionKey: string;
  messages: ChatMessage[];
  depth: number;
  invoke?: ToolCall;
  clientTools?: ToolDescriptor[];
  /** Host services with nothing for this turn: the worker does not call them (no round trip). */
  idleServices?: string[];
}

export type ToWorkerMessage =
  | TurnMessage
  /** The turns that started in one pass of the gateway's event loop, in order (see TurnBatch). */
  | { type: "turns"; turns: TurnMessage[] }
  | { type: "abort"; turnId: string; reason: WireError }
  | { type: "end-session"; agentId: string; sessionKey: string }
  /** The gateway has been idle: collect and give freed pages back to the OS (lastResortGc). */
  | { type: "release-heap" }
  | { type: "subagent-done"; runId: string; ok: true; text: string }
  | { type: "subagent-done"; runId: string; ok: false; error: WireError }
  | EgressToWorker
  | HostCallToWorker;

export type FromWorkerMessage =
  /** `failed`: agents of a pool worker whose runtime could not be built (bad plugin, model). */
  | {
      type: "ready";
      failed: Record<string, WireError>;
      /** The thread's kernel TID (Linux), for per-thread scheduling priority. */
      tid?: number;
    }
  | { type: "init-failed"; error: WireError }
  | { type: "heartbeat"; heapUsed: number }
  /** A background process (its process group) started or ended: the thread kills those left at exit. */
  | { type: "background-process"; pid: number; running: boolean }
  /** The turn's events of one tick, in order (consecutive text merged). */
  | { type: "turn-events"; turnId: string; events: TurnEvent[] }
  /** `events`: the turn's last events, not yet sent: one message ends the turn, not two. */
  | { type: "turn-done"; turnId: string; outcome: TurnOutcome; events?: TurnEvent[] }
  | { type: "turn-failed"; turnId: string; error: WireError; events?: TurnEvent[] }
  /** The turns that ended in one pass of the worker's event loop, in order (see TurnBatch). */
  | { type: "turn-ends"; ends: TurnEnd[] }
  | { type: "subagent-run"; turnId: string; runId: string; agentId: string; task: string; depth: number }
  | HostCallFromWorker
  | EgressFromWorker;

/**
 * How often a worker proves its event loop is alive. The watchdog allows `watchdogMs` without
 * one, so this only needs to be well below the smallest watchdog (100 ms is the schema minimum).
 */
export const HEARTBEAT_INTERVAL_MS = 50;
