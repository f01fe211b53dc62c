import type { OpenClawError } from "../errors.js";
import type { ChatTurnOptions } from "./chat-service.js";
import type { ModelCallRecord } from "./turn/turn-events.js";

export interface TurnOrigin {
  transport: "http" | "ws" | "subagent" | "channel" | "automation";
  /** `POST /v1/chat/completions`, `chat.send`, ... */
  route?: string;
  /** The HTTP request id or WebSocket connection id. */
  requestId?: string;
  client?: string;
  /** For a subagent turn: its parent's turn id. */
  parentTurn?: string;
}

export type TurnOutcomeKind = "ok" | "error" | "aborted" | "timeout" | "rejected";

/** One finished turn, as usage accounting and metrics see it. */
export interface TurnRecord {
  runId: string;
  agentId: string;
  sessionKey: string;
  outcome: TurnOutcomeKind;
  /** The OC error code of a turn that did not end well. */
  code?: string;
  startedAt: number;
  durationMs: number;
  /** Each model call with the usage its provider reported. */
  modelCalls: ModelCallRecord[];
  toolCalls: { name: string; durationMs: number; isError: boolean }[];
  depth: number;
  origin?: TurnOrigin;
}

export type TurnObserver = (record: TurnRecord) => void;

export function turnRecord(
  runId: string,
  options: ChatTurnOptions,
  outcome: TurnOutcomeKind,
  code: string | undefined,
  startedAt: number,
  durationMs: number,
  modelCalls: ModelCallRecord[],
  toolCalls: TurnRecord["toolCalls"],
): TurnRecord {
  return {
    runId,
    agentId: options.agentId,
    sessionKey: options.sessionKey,
    outcome,
    ...(code ? { code } : {}),
    startedAt,
    durationMs: Math.round(durationMs * 100) / 100,
    modelCalls,
    toolCalls,
    depth: options.depth ?? 0,
    ...(options.origin ? { origin: options.origin } : {}),
  };
}

export function outcomeOf(failure: OpenClawError): TurnOutcomeKind {
  if (failure.code === "OC_ERR_TURN_ABORTED") return "aborted";
  if (failure.code === "OC_ERR_TURN_TIMEOUT") return "timeout";
  if (
    failure.code === "OC_ERR_AGENT_BUSY" ||
    failure.code === "OC_ERR_QUEUE_TIMEOUT" ||
    failure.code === "OC_ERR_AGENT_UNAVAILABLE"
  )
    return "rejected";
  return "error";
}

export function originFields(origin: TurnOrigin | undefined): Record<string, unknown> {
  if (!origin) return {};
  return {
    via: origin.transport,
    ...(origin.route ? { route: origin.route } : {}),
    ...(origin.requestId ? { requestId: origin.requestId } : {}),
    ...(origin.client ? { client: origin.client } : {}),
    ...(origin.parentTurn ? { parentTurn: origin.parentTurn } : {}),
  };
}

export function modelCallFields(call: ModelCallRecord): Record<string, unknown> {
  return {
    model: call.model,
    step: call.step,
    latencyMs: call.latencyMs,
    ...(call.firstTokenMs !== undefined ? { firstTokenMs: call.firstTokenMs } : {}),
    inputTokens: call.usage.inputTokens,
    outputTokens: call.usage.outputTokens,
    ...(call.usage.cachedInputTokens !== undefined
      ? { cachedInputTokens: call.usage.cachedInputTokens }
      : {}),
    finishReason: call.finishReason,
    ...(call.fallbackFrom ? { fallbackFrom: call.fallbackFrom } : {}),
  };
}

/**
 * For the `turn finished` line: the model that gave the final answer and every model that failed
 * over to another during the turn, so that one line says a fallback answered.
 */
export function answeringModelFields(calls: readonly ModelCallRecord[]): Record<string, unknown> {
  const last = calls.at(-1);
  if (!last) return {};
  const fallbackFrom = calls.flatMap((call) => call.fallbackFrom ?? []);
  return { model: last.model, ...(fallbackFrom.length > 0 ? { fallbackFrom } : {}) };
}
