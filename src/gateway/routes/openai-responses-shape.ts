import type { TurnOutcome } from "../../agents/index.js";
import type { Usage } from "../../models/types.js";

/** What stays the same in every snapshot of one response: the SDK checks its identity. */
export interface ResponseIdentity {
  id: string;
  messageId: string;
  createdAt: number;
  model: string;
  instructions: string | undefined;
  /** The client's function tools, echoed as OpenAI does. */
  tools: { type: "function"; name: string; description: string; parameters: unknown; strict: boolean }[];
}

type Status = "in_progress" | "completed" | "incomplete" | "failed";

function responsesUsage(usage: Usage) {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

export function outputText(text: string) {
  return { type: "output_text" as const, text, annotations: [], logprobs: [] };
}

export function messageItem(identity: ResponseIdentity, text: string | undefined, status: Status) {
  return {
    type: "message" as const,
    id: identity.messageId,
    status,
    role: "assistant" as const,
    content: text === undefined ? [] : [outputText(text)],
  };
}

/** The model's calls of the client's tools, as `function_call` output items. */
export function functionCallItems(outcome: TurnOutcome, status: "in_progress" | "completed" = "completed") {
  return (outcome.clientToolCalls ?? []).map((call) => ({
    type: "function_call" as const,
    id: `fc_${call.id}`,
    call_id: call.id,
    name: call.name,
    arguments: status === "completed" ? JSON.stringify(call.input ?? {}) : "",
    status,
  }));
}

/** A model's output budget running out is an incomplete response, as in OpenAI's API. */
export function finalStatus(outcome: TurnOutcome): "completed" | "incomplete" {
  return outcome.finishReason === "length" ? "incomplete" : "completed";
}

/** OpenAI's Response object, at one point of its life. */
export function responseObject(
  identity: ResponseIdentity,
  state:
    | { status: "in_progress" }
    | { status: "completed" | "incomplete"; outcome: TurnOutcome }
    | { status: "failed"; error: { code: string; message: string }; text: string },
) {
  const output =
    state.status === "in_progress"
      ? []
      : state.status === "failed"
        ? state.text
          ? [messageItem(identity, state.text, "incomplete")]
          : []
        : [messageItem(identity, state.outcome.text, state.status), ...functionCallItems(state.outcome)];
  return {
    id: identity.id,
    object: "response" as const,
    created_at: identity.createdAt,
    status: state.status,
    model: identity.model,
    output,
    error: state.status === "failed" ? { code: "server_error", message: state.error.message } : null,
    incomplete_details: state.status === "incomplete" ? { reason: "max_output_tokens" } : null,
    instructions: identity.instructions ?? null,
    metadata: {},
    parallel_tool_calls: true,
    temperature: null,
    top_p: null,
    tool_choice: "auto",
    tools: identity.tools,
    usage: "outcome" in state ? responsesUsage(state.outcome.usage) : null,
  };
}
