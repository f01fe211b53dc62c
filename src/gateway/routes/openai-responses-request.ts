import { OpenClawError } from "../../errors.js";
import type { ChatMessage } from "../../models/types.js";
import {
  type ClientTools,
  nameToolResults,
  parseClientTools,
  parseToolCalls,
  requireCallNote,
} from "./openai-client-tools.js";
import { parseUser } from "./openai-request.js";

/** An OpenResponses request as the gateway runs it: a whole conversation for one agent. */
export interface OpenAiResponsesRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  user: string | undefined;
  instructions: string | undefined;
  /** The client's own function tools: their calls come back to it as `function_call` items. */
  clientTools: ClientTools;
}

function bad(message: string, param: string): OpenClawError {
  return new OpenClawError("OC_ERR_BAD_REQUEST", message, { details: { param } });
}

/** Item types kept for schema compatibility: OpenClaw accepts and ignores them too. */
const IGNORED_ITEMS = new Set(["reasoning", "item_reference"]);
const TEXT_PARTS = new Set(["input_text", "output_text", "text"]);

function textOf(content: unknown, param: string): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) throw bad("content must be a string or an array of content parts", param);
  return content
    .map((part, index) => {
      const typed = part as { type?: unknown; text?: unknown };
      if (TEXT_PARTS.has(String(typed?.type)) && typeof typed.text === "string") return typed.text;
      throw bad(
        `content part of type "${String(typed?.type)}" is not supported here; send input_text parts`,
        `${param}[${index}]`,
      );
    })
    .join("");
}

function messageOf(raw: unknown, index: number): ChatMessage | undefined {
  const param = `input[${index}]`;
  if (typeof raw !== "object" || raw === null) throw bad("each input item must be an object", param);
  const item = raw as Record<string, unknown>;
  const type = item.type ?? "message";
  if (IGNORED_ITEMS.has(String(type))) return undefined;
  if (type === "function_call") {
    const [call] = parseToolCalls(
      [{ id: item.call_id, function: { name: item.name, arguments: item.arguments } }],
      param,
    ) as [NonNullable<ReturnType<typeof parseToolCalls>>[number]];
    return { role: "assistant", content: "", toolCalls: [call] };
  }
  if (type === "function_call_output") {
    if (typeof item.call_id !== "string" || item.call_id === "")
      throw bad("a function_call_output needs the call_id it answers", `${param}.call_id`);
    // The name is filled from the call it answers (nameToolResults).
    return {
      role: "tool",
      toolCallId: item.call_id,
      toolName: "",
      content: textOf(item.output ?? "", `${param}.output`),
    };
  }
  if (type !== "message") throw bad(`input item of type "${String(type)}" is not supported`, `${param}.type`);
  const content = textOf(item.content, `${param}.content`);
  switch (item.role) {
    case "system":
    case "developer":
      return { role: "system", content };
    case "user":
      return { role: "user", content };
    case "assistant":
      return { role: "assistant", content };
    default:
      throw bad(
        `unsupported role ${JSON.stringify(item.role)}; use system, developer, user or assistant`,
        `${param}.role`,
      );
  }
}

/** Validates an OpenResponses body by hand: the error must name the offending field. */
export function parseOpenAiResponsesRequest(body: unknown): OpenAiResponsesRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw bad("request body must be a JSON object", "body");
  }
  const request = body as Record<string, unknown>;
  if (typeof request.model !== "string" || request.model === "") {
    throw bad("model is required: openclaw/<agentId> (see GET /v1/models)", "model");
  }
  // Responses' function tools are flat ({ type, name, … }); Chat Completions' nest a `function`.
  const clientTools = parseClientTools(
    Array.isArray(request.tools)
      ? request.tools.map((tool: Record<string, unknown>) =>
          tool?.type === "function" && tool.function === undefined
            ? { type: "function", function: tool }
            : tool,
        )
      : request.tools,
    request.tool_choice,
  );
  // The gateway keeps no responses to continue from: the client sends the conversation.
  if (request.previous_response_id !== undefined && request.previous_response_id !== null) {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "previous_response_id is not supported here", {
      hint: "send the earlier turns in input (append response.output to it), or route by user / x-openclaw-session-key",
      details: { param: "previous_response_id" },
    });
  }
  const instructions = request.instructions;
  if (instructions !== undefined && instructions !== null && typeof instructions !== "string") {
    throw bad("instructions must be a string", "instructions");
  }
  const input = request.input;
  let messages: ChatMessage[];
  if (typeof input === "string") {
    messages = [{ role: "user", content: input }];
  } else if (Array.isArray(input) && input.length > 0) {
    messages = nameToolResults(mergeCalls(input.map(messageOf)));
  } else {
    throw bad("input must be a string or a non-empty array of items", "input");
  }
  if (!messages.some((message) => message.role === "user"))
    throw bad("input needs at least one user message", "input");
  if (typeof instructions === "string" && instructions !== "")
    messages = [{ role: "system", content: instructions }, ...messages];
  return {
    model: request.model,
    messages: [...requireCallNote(clientTools), ...messages],
    stream: request.stream === true,
    user: parseUser(request.user),
    instructions: typeof instructions === "string" ? instructions : undefined,
    clientTools,
  };
}

/**
 * Responses items hold one call each; a conversation holds an assistant message with its calls.
 * Consecutive calls join the assistant message before them, as the model made them in one step.
 */
function mergeCalls(items: (ChatMessage | undefined)[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const message of items) {
    if (message === undefined) continue;
    const previous = messages.at(-1);
    if (message.role === "assistant" && message.toolCalls && previous?.role === "assistant") {
      messages[messages.length - 1] = {
        ...previous,
        toolCalls: [...(previous.toolCalls ?? []), ...message.toolCalls],
      };
    } else {
      messages.push(message);
    }
  }
  return messages;
}
