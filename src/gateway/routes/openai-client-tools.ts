import { OpenClawError } from "../../errors.js";
import type { ChatMessage, ToolCall, ToolDescriptor } from "../../models/types.js";

function bad(message: string, param: string): OpenClawError {
  return new OpenClawError("OC_ERR_BAD_REQUEST", message, { details: { param } });
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * OpenAI's `tools` (function tools only) and `tool_choice` (`auto` or `none`): the tools the
 * client runs itself. `none` offers none of them to the model, as in OpenAI's API.
 */
export function parseClientTools(tools: unknown, toolChoice: unknown): ToolDescriptor[] {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) throw bad("tools must be an array of function tools", "tools");
  const names = new Set<string>();
  const parsed = tools.map((raw, index): ToolDescriptor => {
    const param = `tools[${index}]`;
    const tool = raw as { type?: unknown; function?: Record<string, unknown> };
    if (tool?.type !== "function" || typeof tool.function !== "object" || tool.function === null)
      throw bad('each tool must be { "type": "function", "function": { "name": … } }', param);
    const { name, description, parameters } = tool.function;
    if (typeof name !== "string" || !TOOL_NAME.test(name))
      throw bad("function.name must be 1-64 letters, digits, _ or -", `${param}.function.name`);
    if (names.has(name)) throw bad(`tool "${name}" is defined twice`, `${param}.function.name`);
    names.add(name);
    if (
      parameters !== undefined &&
      (typeof parameters !== "object" || parameters === null || Array.isArray(parameters))
    )
      throw bad("function.parameters must be a JSON Schema object", `${param}.function.parameters`);
    return {
      name,
      description: typeof description === "string" ? description : "",
      parameters: (parameters as ToolDescriptor["parameters"] | undefined) ?? {
        type: "object",
        properties: {},
      },
    };
  });
  if (toolChoice === undefined || toolChoice === null || toolChoice === "auto") return parsed;
  if (toolChoice === "none") return [];
  throw bad(
    'tool_choice must be "auto" or "none" here ("required" and a pinned function are not supported)',
    "tool_choice",
  );
}

/** The calls of an assistant message the client sends back: `arguments` is a JSON string. */
export function parseToolCalls(raw: unknown, param: string): ToolCall[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw bad("tool_calls must be an array", param);
  return raw.map((item, index) => {
    const call = item as { id?: unknown; type?: unknown; function?: { name?: unknown; arguments?: unknown } };
    const at = `${param}[${index}]`;
    if (typeof call?.id !== "string" || typeof call.function?.name !== "string")
      throw bad("each tool call needs an id and function.name", at);
    const args = call.function.arguments;
    let input: unknown = {};
    if (typeof args === "string" && args !== "") {
      try {
        input = JSON.parse(args);
      } catch {
        throw bad("function.arguments must be a JSON string", `${at}.function.arguments`);
      }
    }
    return { id: call.id, name: call.function.name, input };
  });
}

/**
 * A tool message names only its call's id; the model providers also want the tool's name, which
 * the assistant message that made the call holds.
 */
export function nameToolResults(messages: ChatMessage[]): ChatMessage[] {
  const names = new Map<string, string>();
  return messages.map((message) => {
    if (message.role === "assistant")
      for (const call of message.toolCalls ?? []) names.set(call.id, call.name);
    if (message.role !== "tool" || message.toolName !== "") return message;
    return { ...message, toolName: names.get(message.toolCallId) ?? "tool" };
  });
}
