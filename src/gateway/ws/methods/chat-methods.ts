import { validateSessionKey } from "../../../sessions/index.js";
import { defaultAgentId, type GatewayContext } from "../../gateway-context.js";
import { ChatRunPublisher } from "../chat-events.js";
import { optionalString, requireString } from "../frames.js";
import { IdempotencyCache } from "../idempotency-cache.js";
import type { MethodTable } from "./method-definition.js";

/** OpenClaw session keys look like `agent:<agentId>:<rest>`; the agent is taken from there. */
export function agentIdFromSessionKey(sessionKey: string): string | undefined {
  const match = /^agent:([^:]+):/.exec(sessionKey);
  return match?.[1];
}

const chatRuns = new IdempotencyCache<{ runId: string; done: boolean }>();

export interface ChatRunRequest {
  sessionKey: string;
  message: string;
  idempotencyKey: string;
  agentId?: string;
  /** Who asked, for the turn record. */
  connId: string;
  route: string;
}

/**
 * Starts a turn and streams it as `chat`/`agent` broadcasts. As in OpenClaw's gateway, the run id
 * is the client's idempotency key, so the client can match events to its request before the
 * answer arrives; the same key again returns the original run instead of starting a second turn.
 */
export function startChatRun(gateway: GatewayContext, request: ChatRunRequest) {
  const previous = chatRuns.get(request.idempotencyKey);
  if (previous) return { runId: previous.runId, status: previous.done ? "ok" : "in_flight" };
  const agentId = request.agentId ?? agentIdFromSessionKey(request.sessionKey) ?? defaultAgentId(gateway);
  gateway.supervisor.assertAvailable(agentId);
  // Refused in the answer itself, not in a later chat event: "started" is never said of a run
  // whose message cannot be saved.
  gateway.stateDirHealth.assertWritable();
  const runId = request.idempotencyKey;
  const record = { runId, done: false };
  chatRuns.set(request.idempotencyKey, record);
  const publisher = new ChatRunPublisher(
    (event, payload) => gateway.events.emit("broadcast", event, payload),
    runId,
    request.sessionKey,
    agentId,
  );
  publisher.started();
  gateway.chat
    .runTurn({
      agentId,
      sessionKey: request.sessionKey,
      runId,
      input: { kind: "message", text: request.message },
      origin: { transport: "ws", route: request.route, requestId: request.connId },
      onEvent: (event) => publisher.turnEvent(event),
    })
    .then(
      ({ outcome }) => publisher.final(outcome),
      (error) => publisher.failed(error),
    )
    .finally(() => {
      record.done = true;
    });
  return { runId, status: "started" };
}

export const CHAT_METHODS: MethodTable = {
  "chat.send": {
    role: "operator",
    scope: "operator.write",
    handle: ({ gateway, params, client }) => {
      const agentId = optionalString(params, "agentId");
      return startChatRun(gateway, {
        sessionKey: validateSessionKey(params.sessionKey),
        message: requireString(params, "message"),
        idempotencyKey: requireString(params, "idempotencyKey", 256),
        ...(agentId ? { agentId } : {}),
        connId: client.connId,
        route: "chat.send",
      });
    },
  },
  "chat.abort": {
    role: "operator",
    scope: "operator.write",
    handle: ({ gateway, params }) => {
      const sessionKey = validateSessionKey(params.sessionKey);
      const runIds = gateway.chat.abort(sessionKey, optionalString(params, "runId"));
      return { ok: true, aborted: runIds.length > 0, runIds };
    },
  },
};
