import type { FinishReason, ModelProvider, ModelRequest, ToolCall, Usage } from "../../models/types.js";
import { emptyUsage, type TurnEventSink } from "./turn-events.js";

export interface ModelStepResult {
  text: string;
  toolCalls: ToolCall[];
  usage: Usage;
  finishReason: FinishReason;
  latencyMs: number;
  firstTokenMs?: number;
}

/** One model call: streams text deltas to the sink as they arrive and collects tool calls. */
export async function runModelStep(
  model: ModelProvider,
  request: ModelRequest,
  emit: TurnEventSink,
): Promise<ModelStepResult> {
  let text = "";
  const toolCalls: ToolCall[] = [];
  let usage = emptyUsage();
  let finishReason: FinishReason = "stop";
  const startedAt = performance.now();
  let firstTokenMs: number | undefined;
  for await (const part of model.stream(request)) {
    firstTokenMs ??= performance.now() - startedAt;
    if (part.type === "text-delta") {
      if (part.text === "") continue;
      text += part.text;
      emit({ type: "text-delta", text: part.text });
    } else if (part.type === "tool-call") {
      toolCalls.push({ id: part.toolCallId, name: part.toolName, input: part.input });
      emit({ type: "tool-call", toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
    } else {
      usage = part.usage;
      finishReason = part.finishReason;
    }
  }
  const latencyMs = performance.now() - startedAt;
  return {
    text,
    toolCalls,
    usage,
    finishReason,
    latencyMs,
    ...(firstTokenMs !== undefined ? { firstTokenMs } : {}),
  };
}
