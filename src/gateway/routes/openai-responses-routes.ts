import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { RunService, TurnOrigin } from "../../agents/index.js";
import { OpenClawError } from "../../errors.js";
import type { ChatMessage, ToolDescriptor } from "../../models/types.js";
import { OPERATOR_WRITE, withAccess } from "../access/route-access.js";
import { normalizeHttpError } from "./http-errors.js";
import { type OpenAiAgents, sessionKeyFor, targetAgent } from "./openai-agent-target.js";
import { assertClientCall, type ClientTools } from "./openai-client-tools.js";
import { endpointDisabledError } from "./openai-endpoints.js";
import { parseOpenAiResponsesRequest } from "./openai-responses-request.js";
import {
  finalStatus,
  functionCallItems,
  messageItem,
  outputText,
  type ResponseIdentity,
  responseObject,
} from "./openai-responses-shape.js";

/** What the OpenResponses route needs: the same as Chat Completions'. */
export interface OpenAiResponsesDeps {
  runs: Pick<RunService, "run">;
  agents: OpenAiAgents;
  /** Streams bypass the redacting onSend hook: their failure events are masked here. */
  redactor: { redact(text: string): string };
  httpMetrics: { record(method: string, route: string | undefined, status: number, elapsedMs: number): void };
  /** `gateway.http.endpoints.responses.enabled`, read per request. */
  enabled(): boolean;
}

interface Turn {
  agentId: string;
  sessionKey: string;
  runId: string;
  input: { kind: "messages"; messages: ChatMessage[]; clientTools?: ToolDescriptor[] };
  origin: TurnOrigin;
  signal: AbortSignal;
}

export function registerOpenAiResponsesRoutes(server: FastifyInstance, deps: OpenAiResponsesDeps): void {
  server.post("/v1/responses", withAccess(OPERATOR_WRITE), async (request, reply) => {
    if (!deps.enabled()) throw endpointDisabledError("responses");
    const body = parseOpenAiResponsesRequest(request.body);
    const agentId = targetAgent(request, body.model, deps.agents);
    const runId = randomUUID();
    const sessionKey = sessionKeyFor(request, body.user, agentId, runId);
    const hex = runId.replaceAll("-", "");
    const identity: ResponseIdentity = {
      id: `resp_${hex}`,
      messageId: `msg_${hex}`,
      createdAt: Math.floor(Date.now() / 1000),
      model: `openclaw/${agentId}`,
      instructions: body.instructions,
      tools: body.clientTools.tools.map(({ name, description, parameters }) => ({
        type: "function" as const,
        name,
        description,
        parameters,
        strict: false,
      })),
    };
    // The client hanging up aborts the turn: nobody would read the answer.
    const disconnect = new AbortController();
    reply.raw.on("close", () => {
      if (!reply.raw.writableFinished)
        disconnect.abort(new OpenClawError("OC_ERR_TURN_ABORTED", "client disconnected"));
    });
    const turn: Turn = {
      agentId,
      sessionKey,
      runId,
      input: {
        kind: "messages",
        messages: body.messages,
        ...(body.clientTools.tools.length > 0 ? { clientTools: body.clientTools.tools } : {}),
      },
      origin: {
        transport: "http",
        route: "POST /v1/responses",
        requestId: String(request.id),
        client: request.ip,
      },
      signal: disconnect.signal,
    };
    reply.header("x-openclaw-turn-id", runId);
    if (!body.stream) {
      reply.header("x-openclaw-session-key", sessionKey);
      const { outcome } = await deps.runs.run(turn);
      assertClientCall(body.clientTools, outcome);
      return reply.send(responseObject(identity, { status: finalStatus(outcome), outcome }));
    }
    return streamResponse(reply, request, deps, { ...turn, toolChoice: body.clientTools }, identity);
  });
}

/**
 * The event sequence OpenAI's Responses API streams, which its SDK's ResponseStream checks
 * item by item: created, in progress, the message item and its text part opened, text deltas,
 * all of them closed, then completed (or incomplete, or failed). Each event is numbered.
 */
async function streamResponse(
  reply: FastifyReply,
  request: FastifyRequest,
  deps: OpenAiResponsesDeps,
  turn: Turn & { toolChoice: ClientTools },
  identity: ResponseIdentity,
): Promise<void> {
  const { toolChoice, ...run } = turn;
  let sequence = 0;
  let opened = false;
  let text = "";
  const frame = (type: string, fields: Record<string, unknown>) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`;
  const part = { item_id: identity.messageId, output_index: 0, content_index: 0 };
  const send = (chunk: string) => {
    if (!reply.raw.writableEnded) reply.raw.write(chunk);
  };
  // Headers go out once the turn is admitted: a refused turn is still a plain HTTP error.
  const open = () => {
    if (opened) return;
    opened = true;
    reply.hijack();
    reply.raw.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      "x-openclaw-session-key": turn.sessionKey,
      "x-openclaw-turn-id": turn.runId,
      "x-content-type-options": "nosniff",
    });
    const started = responseObject(identity, { status: "in_progress" });
    send(frame("response.created", { response: started }));
    send(frame("response.in_progress", { response: started }));
    send(
      frame("response.output_item.added", {
        output_index: 0,
        item: messageItem(identity, undefined, "in_progress"),
      }),
    );
    send(frame("response.content_part.added", { ...part, part: outputText("") }));
  };
  try {
    // A required tool call is confirmed before any prose goes out (OpenClaw holds it too).
    const { outcome } = await deps.runs.run({
      ...run,
      onEvent: (event) => {
        if (event.type !== "text-delta") return;
        text += event.text;
        if (toolChoice.required) return;
        open();
        send(frame("response.output_text.delta", { ...part, delta: event.text, logprobs: [] }));
      },
    });
    open();
    assertClientCall(toolChoice, outcome);
    if (toolChoice.required && text)
      send(frame("response.output_text.delta", { ...part, delta: text, logprobs: [] }));
    const status = finalStatus(outcome);
    send(frame("response.output_text.done", { ...part, text: outcome.text, logprobs: [] }));
    send(frame("response.content_part.done", { ...part, part: outputText(outcome.text) }));
    send(
      frame("response.output_item.done", {
        output_index: 0,
        item: messageItem(identity, outcome.text, status),
      }),
    );
    // The client's tool calls follow the message, each opened, its arguments streamed, closed.
    const opening = functionCallItems(outcome, "in_progress");
    for (const [offset, item] of functionCallItems(outcome).entries()) {
      const output_index = offset + 1;
      send(frame("response.output_item.added", { output_index, item: opening[offset] }));
      send(
        frame("response.function_call_arguments.delta", {
          item_id: item.id,
          output_index,
          delta: item.arguments,
        }),
      );
      send(
        frame("response.function_call_arguments.done", {
          item_id: item.id,
          output_index,
          name: item.name,
          arguments: item.arguments,
        }),
      );
      send(frame("response.output_item.done", { output_index, item }));
    }
    send(
      frame(status === "completed" ? "response.completed" : "response.incomplete", {
        response: responseObject(identity, { status, outcome }),
      }),
    );
  } catch (error) {
    if (!opened) throw error;
    const failure = normalizeHttpError(error);
    const failed = responseObject(identity, {
      status: "failed",
      error: { code: failure.code, message: failure.message },
      text,
    });
    // Hijacked: the redacting onSend hook never sees this event, so it is masked here.
    send(deps.redactor.redact(frame("response.failed", { response: failed })));
  }
  send("data: [DONE]\n\n");
  reply.raw.end();
  deps.httpMetrics.record(request.method, request.routeOptions.url, reply.raw.statusCode, reply.elapsedTime);
}
