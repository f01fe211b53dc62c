import type { ChatMessage } from "../models/types.js";
import type { TurnEventSink, TurnOutcome } from "./turn/turn-events.js";

export type AgentPlacement = "main" | "thread" | "pool";

export interface RunnerTurnInput {
  sessionKey: string;
  messages: ChatMessage[];
  signal: AbortSignal;
  emit: TurnEventSink;
}

/** Where an agent's turns execute: the gateway's main thread today, a worker thread or pool later. */
export interface AgentRunner {
  readonly placement: AgentPlacement;
  runTurn(input: RunnerTurnInput): Promise<TurnOutcome>;
  close(): Promise<void>;
}
