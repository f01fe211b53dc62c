import type { AgentPlacement } from "../agent-runner.js";
import type { ResolvedLimits } from "../agent-settings.js";

export type AgentState = "starting" | "ready" | "restarting" | "degraded" | "stopped";

/** One agent as the status endpoints, metrics and the CLI show it. */
export interface AgentSnapshot {
  id: string;
  name: string | undefined;
  runtime: string;
  threadBound: boolean;
  placement: AgentPlacement;
  threadId: number | undefined;
  state: AgentState;
  reason: string | undefined;
  /** The primary `provider/model`. */
  model: string;
  /** `model.fallbacks`, tried in order when the primary's provider fails; absent when none. */
  modelFallbacks?: string[];
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
