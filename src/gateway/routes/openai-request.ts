import { OpenClawError } from "../../errors.js";
import type { ChatMessage } from "../../models/types.js";
import {
  type ClientTools,
  nameToolResults,
  parseClientTools,
  parseToolCalls,
  requireCallNote,
} from "./openai-client-tools.js";

export interface OpenAiChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  includeUsage: boolean;
  user: string | undefined;
  /** The client's own function tools: their calls come back to it as `tool_calls`. */
  clientTools: ClientTools;
}

function bad(message: string, param: string): OpenClawError {
  return new OpenClawError("OC_ERR_BAD_REQUEST", message, { details: { param } });
}

function textOf(content: unknown, param: string): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (!Array.isArray(content)) throw bad("content must be a string or an array of content parts", param);
  return content
    .map((part, index) => {
      const typed = part as { type?: unknown; text?: unknown };
      if (typed?.type === "text" && typeof typed.text === "string") return typed.text;
      throw bad(
        `content part of type "${String(typed?.type)}" is not supported; send text parts`,
        `${param}[${index}]`,
      );
    })
    .join("");
}

function toChatMessage(raw: unknown, index: number): ChatMessage {
  const param = `messages[${index}]`;
  if (typeof raw !== "object" || raw === null) throw bad("each message must be an object", param);
  const message = raw as Record<string, unknown>;
  const content = textOf(message.content, `${param}.content`);
  switch (message.role) {
    case "system":
    case "developer":
      return { role: "system", content };
    case "user":
      return { role: "user", content };
    case "assistant": {
      const toolCalls = parseToolCalls(message.tool_calls, `${param}.tool_calls`);
      return toolCalls?.length ? { role: "assistant", content, toolCalls } : { role: "assistant", content };
    }
    case "tool":
      if (typeof message.tool_call_id !== "string" || message.tool_call_id === "")
        throw bad("a tool message needs the tool_call_id it answers", `${param}.tool_call_id`);
      // The name is filled from the call it answers (nameToolResults) when the client sends none.
      return {
        role: "tool",
        toolCallId: message.tool_call_id,
        toolName: typeof message.name === "string" ? message.name : "",
        content,
      };
    default:
      throw bad(
        `unsupported role ${JSON.stringify(message.role)}; use system, user or assistant`,
        `${param}.role`,
      );
  }
}

/** Validates an OpenAI Chat Completions body by hand: the error must name the offending field. */
export function parseOpenAiChatRequest(body: unknown): OpenAiChatRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw bad("request body must be a JSON object", "body");
  }
  const request = body as Record<string, unknown>;
  if (typeof request.model !== "string" || request.model === "") {
    throw bad("model is required: openclaw/<agentId> (see GET /v1/models)", "model");
  }
  if (!Array.isArray(request.messages) || request.messages.length === 0) {
    throw bad("messages must be a non-empty array", "messages");
  }
  const clientTools = parseClientTools(request.tools, request.tool_choice);
  const messages = nameToolResults(request.messages.map(toChatMessage));
  if (!messages.some((message) => message.role === "user"))
    throw bad("messages need at least one user message", "messages");
  const streamOptions = request.stream_options as { include_usage?: unknown } | undefined;
  return {
    model: request.model,
    messages: [...requireCallNote(clientTools), ...messages],
    stream: request.stream === true,
    includeUsage: streamOptions?.include_usage === true,
    user: parseUser(request.user),
    clientTools,
  };
}

/** Longer than any real end-user id, short enough to sit in a session key and a header. */
const MAX_USER_LENGTH = 256;

/**
 * OpenAI's end-user id. It names a session and travels back in a response header, so it is
 * checked before any turn runs: a value that cannot become a header must not get as far as a
 * tool's side effects and then fail.
 */
export function parseUser(user: unknown): string | undefined {
  if (user === undefined || user === null || user === "") return undefined;
  if (typeof user !== "string") throw bad("user must be a string", "user");
  if (user.length > MAX_USER_LENGTH) throw bad(`user is longer than ${MAX_USER_LENGTH} characters`, "user");
  if (/[\u0000-\u001f\u007f]/.test(user)) throw bad("user must not contain control characters", "user");
  return user;
}

/**
 * The session-key form of a user id: printable ASCII as is, every other character
 * percent-encoded, so that the key is a valid header value and the same user always maps to
 * the same session.
 */
export function userKeyPart(user: string): string {
  return user.replace(/[^\x21-\x7e]|%/gu, (character) => encodeURIComponent(character));
}

/**
 * OpenClaw's agent targets: `openclaw` and `openclaw/default` mean the default agent;
 * `openclaw/<id>`, `openclaw:<id>`, `agent:<id>` (a compatibility alias) or a bare id name one.
 */
export function agentIdFromModel(model: string, defaultAgentId: string): string {
  if (model === "openclaw" || model === "openclaw/default" || model === "openclaw:default")
    return defaultAgentId;
  const match = /^(?:openclaw[/:]|agent:)(.+)$/.exec(model);
  return match ? (match[1] as string) : model;
}
