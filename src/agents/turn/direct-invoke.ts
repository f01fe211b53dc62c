import { OpenClawError } from "../../errors.js";
import type { ToolCall } from "../../models/types.js";
import { formatToolOutput, ToolInputError } from "../../tools/index.js";
import type { TurnRequest } from "./run-turn.js";
import { emptyUsage, type TurnOutcome } from "./turn-events.js";

/**
 * One call of the agent's own tools, made by an operator rather than the model
 * (`POST /tools/invoke`). It runs where the agent's turns run, with the same context, so the
 * agent's allow-list, workspace, sandbox and host services apply unchanged. Unlike a model's
 * call, a failure is the caller's answer (a typed error), not a tool message to read.
 */
export async function invokeAgentTool(request: TurnRequest, call: ToolCall): Promise<TurnOutcome> {
  const tool = request.tools.find((candidate) => candidate.name === call.name);
  if (!tool) {
    throw new OpenClawError(
      "OC_ERR_TOOL_NOT_FOUND",
      `agent "${request.agentId}" has no tool "${call.name}"`,
      {
        hint: `its tools: ${request.tools.map((candidate) => candidate.name).join(", ") || "none"}; agents.${request.agentId}.tools is its allow-list`,
      },
    );
  }
  request.emit({ type: "tool-call", toolCallId: call.id, toolName: call.name, input: call.input });
  const startedAt = performance.now();
  let result: unknown;
  try {
    result = await tool.execute(call.input, {
      agentId: request.agentId,
      sessionKey: request.sessionKey,
      signal: request.signal,
      ...(request.subagents ? { subagents: request.subagents } : {}),
      ...(request.workspace ? { workspace: request.workspace } : {}),
      ...(request.host ? { host: request.host } : {}),
    });
  } catch (error) {
    request.signal.throwIfAborted();
    const message = error instanceof Error ? error.message : String(error);
    request.emit({
      type: "tool-result",
      toolCallId: call.id,
      toolName: call.name,
      output: message,
      isError: true,
      durationMs: elapsed(startedAt),
    });
    if (error instanceof OpenClawError) throw error;
    throw new OpenClawError(error instanceof ToolInputError ? "OC_ERR_TOOL_INPUT" : "OC_ERR_TOOL", message);
  }
  const output = formatToolOutput(result);
  request.emit({
    type: "tool-result",
    toolCallId: call.id,
    toolName: call.name,
    output,
    isError: false,
    durationMs: elapsed(startedAt),
  });
  // Nothing for the transcript: the session's conversation did not ask for this call.
  return {
    text: output,
    messages: [],
    usage: emptyUsage(),
    finishReason: "stop",
    steps: 0,
    invoked: jsonOf(result),
  };
}

/** The result crosses a thread and goes out as JSON: what JSON cannot hold is dropped here. */
function jsonOf(result: unknown): unknown {
  return result === undefined ? null : JSON.parse(JSON.stringify(result));
}

function elapsed(startedAt: number): number {
  return Math.round((performance.now() - startedAt) * 100) / 100;
}
