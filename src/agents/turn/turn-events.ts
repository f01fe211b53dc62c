import type { FinishReason, Usage } from "../../models/types.js";

/** What a running turn reports as it goes; names follow noun-verb (`text-delta`, `tool-result`). */
export type TurnEvent =
  | { type: "text-delta"; text: string }
  | { type: "tool-call"; toolCallId: string; toolName: string; input: unknown }
  | {
      type: "tool-result";
      toolCallId: string;
      toolName: string;
      output: string;
      isError: boolean;
      durationMs?: number;
    }
  /** One model call finished: for logs, usage and metrics; never sent to clients. */
  | { type: "model-call"; call: ModelCallRecord };

/** The events a client sees (SSE, WebSocket `chat`/`agent`): everything but bookkeeping. */
export type ClientTurnEvent = Exclude<TurnEvent, { type: "model-call" }>;

/** One call to the provider within a turn, with the provider's own usage figures. */
export interface ModelCallRecord {
  step: number;
  /** `provider/model`. */
  model: string;
  usage: Usage;
  finishReason: FinishReason;
  /** From the request to the end of the stream. */
  latencyMs: number;
  /** From the request to the first streamed part; absent when nothing was streamed. */
  firstTokenMs?: number;
  /** The models of `fallbacks` (or the primary) that failed before this one answered. */
  fallbackFrom?: FallbackFailure[];
}

/** A model call that failed in a way worth trying the next model of `fallbacks`. */
export interface FallbackFailure {
  /** `provider/model`. */
  model: string;
  code: string;
  /** The provider's HTTP status, when it answered with one. */
  providerStatus?: number;
}

export type TurnEventSink = (event: TurnEvent) => void;

export interface TurnOutcome {
  /** The final assistant text of the turn (the last step's text). */
  text: string;
  /** Messages the turn produced, in order: assistant (with tool calls), tool results, final assistant. */
  messages: import("../../models/types.js").ChatMessage[];
  usage: Usage;
  finishReason: FinishReason;
  steps: number;
  /** A direct invocation's tool result, as the tool returned it (see direct-invoke). */
  invoked?: unknown;
  /** The calls of client-defined tools the turn stopped at: the client runs them (see run-turn). */
  clientToolCalls?: import("../../models/types.js").ToolCall[];
}

export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0 };
}

export function addUsage(total: Usage, step: Usage): Usage {
  const cached = (total.cachedInputTokens ?? 0) + (step.cachedInputTokens ?? 0);
  return {
    inputTokens: total.inputTokens + step.inputTokens,
    outputTokens: total.outputTokens + step.outputTokens,
    ...(cached > 0 ? { cachedInputTokens: cached } : {}),
  };
}
