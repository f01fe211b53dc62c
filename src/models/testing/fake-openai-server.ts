import type { ServerResponse } from "node:http";
import {
  chunkText,
  estimateTokens,
  FakeProviderServer,
  type FakeReply,
  fakeId,
  type RecordedRequest,
} from "./fake-provider-server.js";

/**
 * A fake of the OpenAI Chat Completions API (`POST /v1/chat/completions`), also what
 * openai-compatible servers (vLLM, Ollama, LM Studio) speak: `Authorization: Bearer`, JSON
 * replies and SSE `chat.completion.chunk` streams ending in `data: [DONE]`, with a final
 * usage chunk when the request sets `stream_options.include_usage`.
 */

const ERROR_SHAPES: Record<number, { type: string; code: string | null }> = {
  400: { type: "invalid_request_error", code: null },
  401: { type: "invalid_request_error", code: "invalid_api_key" },
  403: { type: "invalid_request_error", code: "unsupported_country_region_territory" },
  404: { type: "invalid_request_error", code: "model_not_found" },
  429: { type: "requests", code: "rate_limit_exceeded" },
  500: { type: "server_error", code: null },
  503: { type: "server_error", code: null },
};

interface ChatCompletionsBody {
  model?: string;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  messages?: Array<{ role: string; content: string | Array<{ type: string; text?: string }> | null }>;
}

function bearerKey(authorization: string | undefined): string | undefined {
  return authorization?.startsWith("Bearer ") ? authorization.slice("Bearer ".length) : undefined;
}

export class FakeOpenAIServer extends FakeProviderServer {
  protected override lastUserText(body: unknown): string {
    const messages = (body as ChatCompletionsBody | undefined)?.messages ?? [];
    const content = messages.filter((message) => message.role === "user").at(-1)?.content;
    if (!content) return "";
    if (typeof content === "string") return content;
    return content.map((part) => (part.type === "text" ? (part.text ?? "") : "")).join("");
  }

  protected override async handle(request: RecordedRequest, response: ServerResponse): Promise<void> {
    const fail = (status: number, message: string, errorType?: string) => {
      const shape = ERROR_SHAPES[status] ?? { type: "server_error", code: null };
      this.sendJson(response, status, {
        error: { message, type: errorType ?? shape.type, param: null, code: shape.code },
      });
    };

    const key = bearerKey(request.headers.authorization);
    if (request.method === "GET" && request.path.split("?")[0] === "/v1/models") {
      if (this.options.apiKey !== undefined && key !== this.options.apiKey) {
        return fail(401, `Incorrect API key provided: ${key ?? "(none)"}.`);
      }
      return this.sendJson(response, 200, {
        object: "list",
        data: this.listedModels().map((id) => ({ id, object: "model", created: 0, owned_by: "fake" })),
      });
    }
    if (request.path.split("?")[0] !== "/v1/chat/completions") {
      return fail(404, `Invalid URL (${request.method} ${request.path})`);
    }
    if (request.method !== "POST")
      return fail(405, `Method ${request.method} not allowed`, "invalid_request_error");
    if (this.options.apiKey !== undefined) {
      if (!key) {
        return fail(
          401,
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        );
      }
      // The real API echoes a masked key; this fake echoes it whole, so that tests prove the
      // client strips it from error messages.
      if (key !== this.options.apiKey) return fail(401, `Incorrect API key provided: ${key}.`);
    }
    if (typeof request.body !== "object" || request.body === null) {
      return fail(400, "We could not parse the JSON body of your request.");
    }

    const body = request.body as ChatCompletionsBody;
    const reply: FakeReply = this.nextReply(request);
    if (reply.type === "error") return fail(reply.status, reply.message, reply.errorType);
    if (reply.type === "silence") return this.startSse(response);
    if (reply.type === "stream-error" && !body.stream) return fail(500, reply.message, reply.errorType);

    const chunks = reply.text ? chunkText(reply.text) : [];
    const toolCall =
      reply.type === "tool-call"
        ? {
            id: reply.toolCallId ?? fakeId("call_"),
            type: "function",
            function: { name: reply.toolName, arguments: JSON.stringify(reply.input ?? {}) },
          }
        : undefined;
    const finishReason = toolCall
      ? "tool_calls"
      : reply.type === "text" && reply.finishReason === "length"
        ? "length"
        : "stop";
    const scripted = reply.type === "stream-error" ? undefined : reply.usage;
    const promptTokens = scripted?.inputTokens ?? estimateTokens(body.messages);
    const completionTokens = scripted?.outputTokens ?? Math.max(1, chunks.length + (toolCall ? 1 : 0));
    const cachedTokens = scripted?.cachedInputTokens ?? 0;
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: cachedTokens, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    };
    const envelope = {
      id: fakeId("chatcmpl-"),
      created: Math.floor(Date.now() / 1000),
      model: body.model ?? this.options.model ?? "gpt-fake",
      system_fingerprint: "fp_fake",
    };

    if (!body.stream) {
      const message = {
        role: "assistant",
        content: chunks.length > 0 ? chunks.join("") : null,
        refusal: null,
        ...(toolCall && { tool_calls: [toolCall] }),
      };
      return this.sendJson(response, 200, {
        ...envelope,
        object: "chat.completion",
        choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
        usage,
      });
    }

    const includeUsage = body.stream_options?.include_usage === true;
    this.startSse(response);
    const send = (delta: Record<string, unknown>, finish: string | null = null) =>
      this.writeSse(
        response,
        JSON.stringify({
          ...envelope,
          object: "chat.completion.chunk",
          choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
          ...(includeUsage && { usage: null }),
        }),
      );
    send({ role: "assistant", content: "", refusal: null });
    for (const content of chunks) {
      if (!(await this.pace(response))) return;
      send({ content });
    }
    if (reply.type === "text" && reply.stall) return;
    if (toolCall) {
      const { id, type, function: call } = toolCall;
      send({ tool_calls: [{ index: 0, id, type, function: { name: call.name, arguments: "" } }] });
      for (const piece of call.arguments.match(/[\s\S]{1,12}/g) ?? []) {
        if (!(await this.pace(response))) return;
        send({ tool_calls: [{ index: 0, function: { arguments: piece } }] });
      }
    }
    if (reply.type === "stream-error") {
      const error = {
        message: reply.message,
        type: reply.errorType ?? "server_error",
        param: null,
        code: null,
      };
      this.writeSse(response, JSON.stringify({ error }));
      response.end();
      return;
    }
    send({}, finishReason);
    if (includeUsage) {
      this.writeSse(
        response,
        JSON.stringify({ ...envelope, object: "chat.completion.chunk", choices: [], usage }),
      );
    }
    this.writeSse(response, "[DONE]");
    response.end();
  }
}
