import { toOpenClawError } from "../../../errors.js";
import { validateSessionKey } from "../../../sessions/index.js";
import { defaultAgentId } from "../../gateway-context.js";
import { ChatRunPublisher } from "../chat-events.js";
import { optionalString, requireString } from "../frames.js";
import { IdempotencyCache } from "../idempotency-cache.js";
import { agentIdFromSessionKey } from "./chat-methods.js";
import type { MethodCall, MethodTable } from "./method-definition.js";

type AgentRunFinal = Record<string, unknown>;

/** Runs by idempotency key: a retry gets `in_flight`, or the first run's final answer again. */
const agentRuns = new IdempotencyCache<{ final: AgentRunFinal | undefined }>();

/**
 * `agent`, what `openclaw agent --message …` calls: a turn answered twice on the same request
 * id, as OpenClaw's gateway does. First `{ status: "accepted", runId, sessionKey, agentId }` at
 * once (the client's `expectFinal` waits past it), then the final `{ status: "ok" | "timeout",
 * summary, result: { payloads: [{ text }], meta } }`; a failed turn is an error response. The
 * run streams `chat`/`agent` events like `chat.send`, and its id is the idempotency key.
 */
async function runAgent(call: MethodCall): Promise<AgentRunFinal> {
  const { gateway, params, client } = call;
  const idempotencyKey = requireString(params, "idempotencyKey", 256);
  const previous = agentRuns.get(idempotencyKey);
  if (previous) return previous.final ?? { runId: idempotencyKey, status: "in_flight" };
  const requestedSession = optionalString(params, "sessionKey");
  const agentId =
    optionalString(params, "agentId") ??
    (requestedSession ? agentIdFromSessionKey(requestedSession) : undefined) ??
    defaultAgentId(gateway);
  // OpenClaw's default for an agent without a named session: its main session.
  const sessionKey = validateSessionKey(requestedSession ?? `agent:${agentId}:main`);
  const message = requireString(params, "message");
  gateway.supervisor.assertAvailable(agentId);
  gateway.stateDirHealth.assertWritable();
  const runId = idempotencyKey;
  const record: { final: AgentRunFinal | undefined } = { final: undefined };
  agentRuns.set(idempotencyKey, record);
  client.accept?.({ runId, sessionKey, agentId, status: "accepted", acceptedAt: Date.now() });
  const publisher = new ChatRunPublisher(
    (event, payload) => gateway.events.emit("broadcast", event, payload),
    runId,
    sessionKey,
    agentId,
  );
  publisher.started();
  const startedAt = Date.now();
  try {
    const { outcome } = await gateway.chat.runTurn({
      agentId,
      sessionKey,
      runId,
      input: { kind: "message", text: message },
      origin: { transport: "ws", route: "agent", requestId: client.connId },
      onEvent: (event) => publisher.turnEvent(event),
    });
    publisher.final(outcome);
    record.final = {
      runId,
      status: "ok",
      summary: "completed",
      result: {
        payloads: [{ text: outcome.text }],
        meta: {
          durationMs: Date.now() - startedAt,
          stopReason: outcome.finishReason,
          agentMeta: {
            sessionKey,
            agentId,
            usage: { input: outcome.usage.inputTokens, output: outcome.usage.outputTokens },
          },
        },
      },
    };
    return record.final;
  } catch (error) {
    publisher.failed(error);
    const failure = toOpenClawError(error);
    if (failure.code === "OC_ERR_TURN_TIMEOUT") {
      record.final = { runId, status: "timeout", summary: "aborted", stopReason: "timeout" };
      return record.final;
    }
    // Not remembered: a retry with the same key may try again once the cause is fixed.
    agentRuns.delete(idempotencyKey);
    throw failure;
  }
}

export const AGENT_RUN_METHODS: MethodTable = {
  agent: { role: "operator", scope: "operator.write", handle: runAgent },
};
