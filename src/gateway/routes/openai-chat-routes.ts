import { randomUUID } from "node:crypto";
import { validateHeaderValue } from "node:http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { RunService, TurnOrigin, TurnOutcome } from "../../agents/index.js";
import { OpenClawError } from "../../errors.js";
import type { Usage } from "../../models/types.js";
import { sessionKeys, validateSessionKey } from "../../sessions/index.js";
import { OPERATOR_WRITE, withAccess } from "../access/route-access.js";
import { errorBody, normalizeHttpError } from "./http-errors.js";
import { endpointDisabledError } from "./openai-endpoints.js";
import {
  agentIdFromModel,
  type OpenAiChatRequest,
  parseOpenAiChatRequest,
  userKeyPart,
} from "./openai-request.js";

const FINISH_REASONS: Record<TurnOutcome["finishReason"], string> = {
  stop: "stop",
  length: "length",
  "tool-calls": "stop",
  "content-filter": "content_filter",
  error: "stop",
  other: "stop",
};

function openAiUsage(usage: Usage) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    ...(usage.cachedInputTokens ? { prompt_tokens_details: { cached_tokens: usage.cachedInputTokens } } : {}),
  };
}

/**
 * The OpenClaw session a stateless OpenAI request is recorded under: the caller's explicit
 * `x-openclaw-session-key`, a stable one derived from `user`, or a fresh one per request.
 */
function sessionKeyFor(
  request: FastifyRequest,
  body: OpenAiChatRequest,
  agentId: string,
  runId: string,
): string {
  const header = request.headers["x-openclaw-session-key"];
  const key =
    typeof header === "string" && header !== ""
      ? validateSessionKey(header)
      : body.user
        ? validateSessionKey(sessionKeys.openAiUser(agentId, userKeyPart(body.user)))
        : sessionKeys.openAiRequest(agentId, runId);
  // The key goes back in a response header: one that could not be sent is refused now, before
  // the turn (and its tools) run, not with a 500 after them.
  try {
    validateHeaderValue("x-openclaw-session-key", key);
  } catch {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "the session key cannot be sent back in a header", {
      details: { param: "x-openclaw-session-key" },
    });
  }
  return key;
}

/** What the OpenAI Chat Completions route needs: runs, the agents as models, and its answers' care. */
export interface OpenAiChatDeps {
  runs: Pick<RunService, "run">;
  agents: { has(agentId: string): boolean; defaultAgentId(): string };
  /** Streams bypass the redacting onSend hook: their error bodies are masked here. */
  redactor: { redact(text: string): string };
  /** Streams bypass onSend's request count too: they count themselves when they end. */
  httpMetrics: { record(method: string, route: string | undefined, status: number, elapsedMs: number): void };
  /** `gateway.http.endpoints.chatCompletions.enabled`, read per request. */
  enabled(): boolean;
}

export function registerOpenAiChatRoutes(server: FastifyInstance, deps: OpenAiChatDeps): void {
  server.post("/v1/chat/completions", withAccess(OPERATOR_WRITE), async (request, reply) => {
    if (!deps.enabled()) throw endpointDisabledError("chatCompletions");
    const body = parseOpenAiChatRequest(request.body);
    const agentId = agentIdFromModel(body.model, deps.agents.defaultAgentId());
    if (!deps.agents.has(agentId)) {
      throw new OpenClawError("OC_ERR_UNKNOWN_AGENT", `model "${body.model}" does not exist`, {
        hint: "GET /v1/models lists one model per agent: openclaw/<agentId>",
      });
    }
    const runId = randomUUID();
    const completionId = `chatcmpl-${runId.replaceAll("-", "")}`;
    const created = Math.floor(Date.now() / 1000);
    const sessionKey = sessionKeyFor(request, body, agentId, runId);
    const model = `openclaw/${agentId}`;
    // The client hanging up aborts the turn: nobody would read the answer.
    const disconnect = new AbortController();
    reply.raw.on("close", () => {
      if (!reply.raw.writableFinished)
        disconnect.abort(new OpenClawError("OC_ERR_TURN_ABORTED", "client disconnected"));
    });
    const turn = {
      agentId,
      sessionKey,
      runId,
      input: { kind: "messages" as const, messages: body.messages },
      origin: {
        transport: "http" as const,
        route: "POST /v1/chat/completions",
        requestId: String(request.id),
        client: request.ip,
      },
    };
    // The turn id in every log line of this request: `openclaw logs --turn <id>` follows it.
    reply.header("x-openclaw-turn-id", runId);
    if (!body.stream) {
      reply.header("x-openclaw-session-key", sessionKey);
      const { outcome } = await deps.runs.run({ ...turn, signal: disconnect.signal });
      return reply.send({
        id: completionId,
        object: "chat.completion",
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: outcome.text, refusal: null },
            logprobs: null,
            finish_reason: FINISH_REASONS[outcome.finishReason],
          },
        ],
        usage: openAiUsage(outcome.usage),
      });
    }
    return streamCompletion(reply, request, deps, {
      ...turn,
      completionId,
      created,
      model,
      includeUsage: body.includeUsage,
      signal: disconnect.signal,
    });
  });
}

interface StreamOptions {
  agentId: string;
  sessionKey: string;
  runId: string;
  input: { kind: "messages"; messages: OpenAiChatRequest["messages"] };
  origin: TurnOrigin;
  completionId: string;
  created: number;
  model: string;
  includeUsage: boolean;
  signal: AbortSignal;
}

async function streamCompletion(
  reply: FastifyReply,
  request: FastifyRequest,
  deps: OpenAiChatDeps,
  options: StreamOptions,
): Promise<void> {
  const { completionId: id, created, model } = options;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model, choices, ...extra })}\n\n`;
  let headersSent = false;
  const write = (text: string) => {
    if (!headersSent) {
      headersSent = true;
      reply.hijack();
      reply.raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        connection: "keep-alive",
        "x-openclaw-session-key": options.sessionKey,
        "x-openclaw-turn-id": options.runId,
        "x-content-type-options": "nosniff",
      });
      reply.raw.write(chunk([{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }]));
    }
    if (!reply.raw.writableEnded) reply.raw.write(text);
  };
  try {
    const { outcome } = await deps.runs.run({
      agentId: options.agentId,
      sessionKey: options.sessionKey,
      runId: options.runId,
      input: options.input,
      origin: options.origin,
      signal: options.signal,
      onEvent: (event) => {
        if (event.type === "text-delta") {
          write(chunk([{ index: 0, delta: { content: event.text }, finish_reason: null }]));
        }
      },
    });
    write(chunk([{ index: 0, delta: {}, finish_reason: FINISH_REASONS[outcome.finishReason] }]));
    if (options.includeUsage) write(chunk([], { usage: openAiUsage(outcome.usage) }));
    write("data: [DONE]\n\n");
    reply.raw.end();
    recordHijacked(deps, request, reply);
  } catch (error) {
    // Before the first byte, a normal HTTP error status is still possible.
    if (!headersSent) throw error;
    const failure = normalizeHttpError(error);
    // Hijacked: the redacting onSend hook never sees this body, so it is masked here.
    write(deps.redactor.redact(`data: ${JSON.stringify(errorBody(failure, request.url))}\n\n`));
    reply.raw.end();
    recordHijacked(deps, request, reply);
  }
}

/** A stream answered outside Fastify's reply (no onSend): counted here, once it has ended. */
function recordHijacked(deps: OpenAiChatDeps, request: FastifyRequest, reply: FastifyReply): void {
  deps.httpMetrics.record(request.method, request.routeOptions.url, reply.raw.statusCode, reply.elapsedTime);
}
