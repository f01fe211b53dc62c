import type { ServerResponse } from "node:http";
import {
  chunkText,
  estimateTokens,
  FakeProviderServer,
  type FakeReply,
  type FakeUsage,
  fakeId,
  type RecordedRequest,
} from "./fake-provider-server.js";

/**
 * A fake of the Anthropic Messages API (`POST /v1/messages`): `x-api-key` and
 * `anthropic-version` headers, JSON replies and SSE streams with the real event sequence
 * (message_start, content_block_start/delta/stop, message_delta, message_stop).
 */

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

interface MessagesBody {
  model?: string;
  stream?: boolean;
  messages?: Array<{ role: string; content: string | Array<{ type: string; text?: string }> }>;
}

type ContentBlock =
  | { type: "text"; chunks: string[] }
  | { type: "tool_use"; id: string; name: string; inputJson: string };

function usageOf(reply: { usage?: FakeUsage }, body: MessagesBody, outputChunks: number) {
  const inputTokens = reply.usage?.inputTokens ?? estimateTokens(body.messages);
  const cached = reply.usage?.cachedInputTokens ?? 0;
  return {
    // Anthropic counts cache reads apart from input_tokens; clients add them back up.
    input_tokens: inputTokens - cached,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
    output_tokens: reply.usage?.outputTokens ?? Math.max(1, outputChunks),
  };
}

export class FakeAnthropicServer extends FakeProviderServer {
  protected override lastUserText(body: unknown): string {
    const messages = (body as MessagesBody | undefined)?.messages ?? [];
    const user = messages.filter((message) => message.role === "user").at(-1);
    if (!user) return "";
    if (typeof user.content === "string") return user.content;
    return user.content.map((part) => (part.type === "text" ? (part.text ?? "") : "")).join("");
  }

  protected override async handle(request: RecordedRequest, response: ServerResponse): Promise<void> {
    const requestId = fakeId("req_");
    const fail = (status: number, message: string, errorType?: string) =>
      this.sendJson(
        response,
        status,
        { type: "error", error: { type: errorType ?? ERROR_TYPES[status] ?? "api_error", message } },
        { "request-id": requestId },
      );

    if (request.method === "GET" && request.path.split("?")[0] === "/v1/models") {
      const key = request.headers["x-api-key"];
      if (!key) return fail(401, "x-api-key header is required");
      if (this.options.apiKey !== undefined && key !== this.options.apiKey)
        return fail(401, "invalid x-api-key");
      const ids = this.listedModels();
      return this.sendJson(response, 200, {
        data: ids.map((id) => ({ type: "model", id, display_name: id, created_at: "2025-01-01T00:00:00Z" })),
        has_more: false,
        first_id: ids[0] ?? null,
        last_id: ids.at(-1) ?? null,
      });
    }
    if (request.path.split("?")[0] !== "/v1/messages") return fail(404, "Not found");
    if (request.method !== "POST")
      return fail(405, `Method ${request.method} not allowed`, "invalid_request_error");
    const key = request.headers["x-api-key"];
    if (!key) return fail(401, "x-api-key header is required");
    if (this.options.apiKey !== undefined && key !== this.options.apiKey)
      return fail(401, "invalid x-api-key");
    if (!request.headers["anthropic-version"]) return fail(400, "anthropic-version: header is required");
    if (typeof request.body !== "object" || request.body === null)
      return fail(400, "Request body is not valid JSON");

    const body = request.body as MessagesBody;
    const reply: FakeReply = this.nextReply(request);
    if (reply.type === "error") return fail(reply.status, reply.message, reply.errorType);
    if (reply.type === "silence") return this.startSse(response);
    if (reply.type === "stream-error" && !body.stream) return fail(500, reply.message, reply.errorType);

    const blocks: ContentBlock[] = [];
    if (reply.text) blocks.push({ type: "text", chunks: chunkText(reply.text) });
    if (reply.type === "tool-call") {
      const id = reply.toolCallId ?? fakeId("toolu_");
      blocks.push({
        type: "tool_use",
        id,
        name: reply.toolName,
        inputJson: JSON.stringify(reply.input ?? {}),
      });
    }
    const stopReason =
      reply.type === "tool-call"
        ? "tool_use"
        : reply.type === "text" && reply.finishReason === "length"
          ? "max_tokens"
          : "end_turn";
    const outputChunks = blocks.reduce(
      (sum, block) => sum + (block.type === "text" ? block.chunks.length : 1),
      0,
    );
    const usage = usageOf(reply.type === "stream-error" ? {} : reply, body, outputChunks);
    const message = {
      id: fakeId("msg_"),
      type: "message",
      role: "assistant",
      model: body.model ?? this.options.model ?? "claude-fake",
    };

    if (!body.stream) {
      const content = blocks.map((block) =>
        block.type === "text"
          ? { type: "text", text: block.chunks.join("") }
          : { type: "tool_use", id: block.id, name: block.name, input: JSON.parse(block.inputJson) },
      );
      return this.sendJson(
        response,
        200,
        { ...message, content, stop_reason: stopReason, stop_sequence: null, usage },
        { "request-id": requestId },
      );
    }

    this.startSse(response, { "request-id": requestId });
    const send = (event: string, data: Record<string, unknown>) =>
      this.writeSse(response, JSON.stringify({ type: event, ...data }), event);
    send("message_start", {
      message: {
        ...message,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    });
    send("ping", {});
    for (const [index, block] of blocks.entries()) {
      if (block.type === "text") {
        send("content_block_start", { index, content_block: { type: "text", text: "" } });
        for (const text of block.chunks) {
          if (!(await this.pace(response))) return;
          send("content_block_delta", { index, delta: { type: "text_delta", text } });
        }
        if (reply.type === "text" && reply.stall) return;
      } else {
        const start = { type: "tool_use", id: block.id, name: block.name, input: {} };
        send("content_block_start", { index, content_block: start });
        // Anthropic streams tool input as partial JSON, split at arbitrary points.
        for (const partial_json of ["", ...(block.inputJson.match(/[\s\S]{1,12}/g) ?? [])]) {
          if (!(await this.pace(response))) return;
          send("content_block_delta", { index, delta: { type: "input_json_delta", partial_json } });
        }
      }
      send("content_block_stop", { index });
    }
    if (reply.type === "stream-error") {
      const errorType = reply.errorType ?? "overloaded_error";
      send("error", { error: { type: errorType, message: reply.message } });
      response.end();
      return;
    }
    send("message_delta", {
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    });
    send("message_stop", {});
    response.end();
  }
}
