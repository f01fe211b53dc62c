import type { TurnOutcome } from "../../agents/index.js";
import { OpenClawError } from "../../errors.js";
import type { ChatMessage, ToolCall, ToolDescriptor } from "../../models/types.js";

function bad(message: string, param: string): OpenClawError {
  return new OpenClawError("OC_ERR_BAD_REQUEST", message, { details: { param } });
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** The client's tools as a turn gets them; `required`: the turn must end in a call of one. */
export interface ClientTools {
  tools: ToolDescriptor[];
  required: boolean;
}

/**
 * OpenAI's `tools` (function tools only) and `tool_choice`: the tools the client runs itself.
 * `none` offers none of them; `required` demands a call of one; a pinned function (Chat's
 * `{ type, function: { name } }` or Responses' `{ type, name }`) offers and demands only it.
 */
export function parseClientTools(tools: unknown, toolChoice: unknown): ClientTools {
  const parsed = parseToolList(tools);
  if (toolChoice === undefined || toolChoice === null || toolChoice === "auto")
    return { tools: parsed, required: false };
  if (toolChoice === "none") return { tools: [], required: false };
  if (toolChoice === "required") {
    if (parsed.length === 0) throw bad('tool_choice "required" needs tools', "tool_choice");
    return { tools: parsed, required: true };
  }
  const pinned = toolChoice as { type?: unknown; name?: unknown; function?: { name?: unknown } };
  const name = pinned?.type === "function" ? (pinned.function?.name ?? pinned.name) : undefined;
  if (typeof name !== "string")
    throw bad('tool_choice must be "auto", "none", "required" or a function to call', "tool_choice");
  const tool = parsed.find((candidate) => candidate.name === name);
  if (!tool) throw bad(`tool_choice names "${name}", which is not among the tools`, "tool_choice");
  return { tools: [tool], required: true };
}

function parseToolList(tools: unknown): ToolDescriptor[] {
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
  return parsed;
}

/**
 * How a required tool choice reaches the model without a provider option: an instruction. The
 * answer is checked after the turn (assertClientCall), since a model may still not comply.
 */
export function requireCallNote(choice: ClientTools): ChatMessage[] {
  if (!choice.required) return [];
  const names = choice.tools.map((tool) => tool.name).join(", ");
  return [{ role: "system", content: `Before you answer, call one of these tools: ${names}.` }];
}

/** A required tool choice the model did not honour is the provider's failure, not an answer. */
export function assertClientCall(choice: ClientTools, outcome: TurnOutcome): void {
  if (!choice.required || outcome.clientToolCalls?.length) return;
  throw new OpenClawError(
    "OC_ERR_TOOL_CHOICE",
    `the model answered without calling ${choice.tools.map((tool) => `"${tool.name}"`).join(" or ")}, which tool_choice requires`,
    { hint: 'retry, or send tool_choice "auto" to accept an answer without a tool call' },
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
