import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { RunService, TurnOrigin, TurnOutcome } from "../../agents/index.js";
import { OpenClawError } from "../../errors.js";
import type { ToolDescriptor, Usage } from "../../models/types.js";
import { OPERATOR_WRITE, withAccess } from "../access/route-access.js";
import { errorBody, normalizeHttpError } from "./http-errors.js";
import { type OpenAiAgents, sessionKeyFor, targetAgent } from "./openai-agent-target.js";
import { assertClientCall, type ClientTools } from "./openai-client-tools.js";
import { endpointDisabledError } from "./openai-endpoints.js";
import { type OpenAiChatRequest, parseOpenAiChatRequest } from "./openai-request.js";

const FINISH_REASONS: Record<TurnOutcome["finishReason"], string> = {
  stop: "stop",
  length: "length",
  "tool-calls": "stop",
  "content-filter": "content_filter",
  error: "stop",
  other: "stop",
};

/** A finish for the client: the calls of its own tools, or the agent's answer. */
function finishReasonOf(outcome: TurnOutcome): string {
  return outcome.clientToolCalls?.length ? "tool_calls" : FINISH_REASONS[outcome.finishReason];
}

/** OpenAI's form of a call: `arguments` is a JSON string the client parses. */
function openAiToolCalls(outcome: TurnOutcome) {
  return (outcome.clientToolCalls ?? []).map((call) => ({
    id: call.id,
    type: "function" as const,
    function: { name: call.name, arguments: JSON.stringify(call.input ?? {}) },
  }));
}

function openAiUsage(usage: Usage) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    ...(usage.cachedInputTokens ? { prompt_tokens_details: { cached_tokens: usage.cachedInputTokens } } : {}),
  };
}

/** What the OpenAI Chat Completions route needs: runs, the agents as models, and its answers' care. */
export interface OpenAiChatDeps {
  runs: Pick<RunService, "run">;
  agents: OpenAiAgents;
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
    const agentId = targetAgent(request, body.model, deps.agents);
    const runId = randomUUID();
    const completionId = `chatcmpl-${runId.replaceAll("-", "")}`;
    const created = Math.floor(Date.now() / 1000);
    const sessionKey = sessionKeyFor(request, body.user, agentId, runId);
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
      input: {
        kind: "messages" as const,
        messages: body.messages,
        ...(body.clientTools.tools.length > 0 ? { clientTools: body.clientTools.tools } : {}),
      },
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
      assertClientCall(body.clientTools, outcome);
      return reply.send({
        id: completionId,
        object: "chat.completion",
        created,
        model,
        choices: [
          {
            index: 0,
            message: outcome.clientToolCalls?.length
              ? {
                  role: "assistant",
                  content: outcome.text || null,
                  refusal: null,
                  tool_calls: openAiToolCalls(outcome),
                }
              : { role: "assistant", content: outcome.text, refusal: null },
            logprobs: null,
            finish_reason: finishReasonOf(outcome),
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
      toolChoice: body.clientTools,
      signal: disconnect.signal,
    });
  });
}

interface StreamOptions {
  agentId: string;
  sessionKey: string;
  runId: string;
  input: {
    kind: "messages";
    messages: OpenAiChatRequest["messages"];
    clientTools?: ToolDescriptor[];
  };
  toolChoice: ClientTools;
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
  // A required tool call is confirmed before any prose goes out: a refusal is then a plain error.
  let held = "";
  try {
    const { outcome } = await deps.runs.run({
      agentId: options.agentId,
      sessionKey: options.sessionKey,
      runId: options.runId,
      input: options.input,
      origin: options.origin,
      signal: options.signal,
      onEvent: (event) => {
        if (event.type !== "text-delta") return;
        if (options.toolChoice.required) held += event.text;
        else write(chunk([{ index: 0, delta: { content: event.text }, finish_reason: null }]));
      },
    });
    assertClientCall(options.toolChoice, outcome);
    if (held) write(chunk([{ index: 0, delta: { content: held }, finish_reason: null }]));
    // A call's identity, then its arguments, as OpenAI streams them; clients concatenate by index.
    for (const [index, call] of openAiToolCalls(outcome).entries()) {
      const { arguments: args, ...named } = call.function;
      write(
        chunk([
          {
            index: 0,
            delta: {
              tool_calls: [{ index, id: call.id, type: "function", function: { ...named, arguments: "" } }],
            },
            finish_reason: null,
          },
        ]),
      );
      write(
        chunk([
          {
            index: 0,
            delta: { tool_calls: [{ index, function: { arguments: args } }] },
            finish_reason: null,
          },
        ]),
      );
    }
    write(chunk([{ index: 0, delta: {}, finish_reason: finishReasonOf(outcome) }]));
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
