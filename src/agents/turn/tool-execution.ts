import type { ChatMessage, ToolCall } from "../../models/types.js";
import { formatToolOutput, type Tool, type ToolContext } from "../../tools/index.js";
import type { TurnEventSink } from "./turn-events.js";

type ToolMessage = Extract<ChatMessage, { role: "tool" }>;

/**
 * Runs the tool calls of one model step in order. A failing tool becomes a tool error the model
 * can read and react to; it never fails the whole turn. Only an abort stops the loop.
 */
export async function executeToolCalls(
  calls: ToolCall[],
  tools: readonly Tool[],
  context: ToolContext,
  emit: TurnEventSink,
): Promise<ToolMessage[]> {
  const results: ToolMessage[] = [];
  for (const call of calls) {
    context.signal.throwIfAborted();
    const tool = tools.find((candidate) => candidate.name === call.name);
    let output: string;
    let isError = false;
    const startedAt = performance.now();
    if (!tool) {
      isError = true;
      const available = tools.map((candidate) => candidate.name).join(", ") || "none";
      output = `unknown tool "${call.name}"; available tools: ${available}`;
    } else {
      try {
        output = formatToolOutput(await tool.execute(call.input, context));
      } catch (error) {
        context.signal.throwIfAborted();
        isError = true;
        output = error instanceof Error ? error.message : String(error);
      }
    }
    emit({
      type: "tool-result",
      toolCallId: call.id,
      toolName: call.name,
      output,
      isError,
      durationMs: Math.round((performance.now() - startedAt) * 100) / 100,
    });
    results.push({
      role: "tool",
      toolCallId: call.id,
      toolName: call.name,
      content: output,
      ...(isError ? { isError } : {}),
    });
  }
  return results;
}
