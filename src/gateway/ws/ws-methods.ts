import { randomUUID } from "node:crypto";
import { OpenClawError } from "../../errors.js";
import { validateSessionKey } from "../../sessions/index.js";
import { defaultAgentId, type GatewayContext } from "../gateway-context.js";
import { buildStatusReport, describeAgent } from "../status-report.js";
import { ChatRunPublisher } from "./chat-events.js";
import { optionalString, paramsObject, requireString } from "./frames.js";
import { IdempotencyCache } from "./idempotency-cache.js";

export type Scope = "operator.read" | "operator.write" | "operator.admin" | "node";

export interface MethodCall {
  params: Record<string, unknown>;
  gateway: GatewayContext;
  /** Who is calling: a node's methods act for that node only. */
  client: { connId: string; nodeId?: string; onSessionStart?: (sessionKey: string) => void };
}

function nodeIdOf(call: MethodCall): string {
  if (!call.client.nodeId) throw new OpenClawError("OC_ERR_FORBIDDEN", "only a paired node may call this");
  return call.client.nodeId;
}

function optionalArray(params: Record<string, unknown>, key: string): unknown[] | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new OpenClawError("OC_ERR_BAD_REQUEST", `${key} must be an array`);
  return value;
}

interface MethodDefinition {
  scope: Scope;
  handle(call: MethodCall): unknown;
}

/** OpenClaw session keys look like `agent:<agentId>:<rest>`; the agent is taken from there. */
export function agentIdFromSessionKey(sessionKey: string): string | undefined {
  const match = /^agent:([^:]+):/.exec(sessionKey);
  return match?.[1];
}

const chatRuns = new IdempotencyCache<{ runId: string; done: boolean }>();

function toHistoryMessage(entry: Awaited<ReturnType<GatewayContext["transcripts"]["read"]>>[number]) {
  return {
    id: entry.id,
    role: entry.role,
    content: [{ type: "text", text: entry.content }],
    timestamp: entry.ts,
    runId: entry.runId,
    agentId: entry.agentId,
    ...(entry.toolCalls ? { toolCalls: entry.toolCalls } : {}),
    ...(entry.toolCallId ? { toolCallId: entry.toolCallId, toolName: entry.toolName } : {}),
    ...(entry.isError ? { isError: true } : {}),
    ...(entry.usage ? { usage: entry.usage } : {}),
  };
}

export const METHODS: Record<string, MethodDefinition> = {
  health: {
    scope: "operator.read",
    handle: ({ gateway }) => ({
      ok: true,
      ts: Date.now(),
      uptimeMs: Math.round(Date.now() - gateway.startedAt),
      agents: gateway.supervisor.list().map(({ id, state }) => ({ id, state })),
    }),
  },
  status: { scope: "operator.read", handle: ({ gateway }) => buildStatusReport(gateway) },
  "agents.list": {
    scope: "operator.read",
    handle: ({ gateway }) => ({
      defaultId: defaultAgentId(gateway),
      mainKey: "main",
      scope: "per-sender",
      agents: gateway.supervisor
        .list()
        .map((agent) => ({ ...describeAgent(agent), name: agent.name ?? agent.id })),
    }),
  },
  "agents.kill": {
    scope: "operator.admin",
    handle: async ({ gateway, params }) => ({
      agent: describeAgent(await gateway.supervisor.kill(requireString(params, "agentId"))),
    }),
  },
  "agents.restart": {
    scope: "operator.admin",
    handle: async ({ gateway, params }) => ({
      agent: describeAgent(await gateway.supervisor.restart(requireString(params, "agentId"))),
    }),
  },
  "secrets.list": {
    scope: "operator.admin",
    handle: async ({ gateway }) => ({ secrets: gateway.secrets() }),
  },
  "secrets.reload": {
    scope: "operator.admin",
    handle: async ({ gateway }) => ({ report: await gateway.reloadSecrets(), secrets: gateway.secrets() }),
  },
  "nodes.list": {
    scope: "operator.admin",
    handle: async ({ gateway }) => ({ nodes: gateway.security.nodes.list() }),
  },
  "nodes.pending": {
    scope: "operator.admin",
    handle: async ({ gateway }) => ({ nodes: gateway.security.nodes.pending() }),
  },
  "nodes.approve": {
    scope: "operator.admin",
    handle: async ({ gateway, params }) => ({
      node: await gateway.security.nodes.approve(requireString(params, "nodeId")),
    }),
  },
  "nodes.reject": {
    scope: "operator.admin",
    handle: async ({ gateway, params }) => ({
      node: await gateway.security.nodes.reject(requireString(params, "nodeId")),
    }),
  },
  "nodes.revoke": {
    scope: "operator.admin",
    handle: async ({ gateway, params }) => ({
      node: await gateway.security.nodes.revoke(requireString(params, "nodeId")),
    }),
  },
  "canvas.update": {
    scope: "operator.write",
    handle: async ({ gateway, params }) => {
      const nodeId = requireString(params, "nodeId");
      const sessionKey = requireString(params, "sessionKey", 512);
      const a2ui = optionalArray(params, "a2ui");
      const canvas = gateway.security.canvas.update(nodeId, sessionKey, {
        ...(params.snapshot !== undefined ? { snapshot: params.snapshot } : {}),
        ...(a2ui ? { a2ui } : {}),
      });
      return { updatedAt: canvas.updatedAt };
    },
  },
  "node.capability": {
    scope: "node",
    handle: async (call) => {
      const nodeId = nodeIdOf(call);
      const sessionKey = requireString(call.params, "sessionKey", 512);
      const { token, expiresAt } = call.gateway.security.capabilities.issue({
        nodeId,
        sessionKey,
        surfaces: ["canvas", "a2ui"],
      });
      call.client.onSessionStart?.(sessionKey);
      const query = `?cap=${encodeURIComponent(token)}`;
      return {
        capability: token,
        expiresAt,
        urls: {
          canvas: `/__openclaw__/canvas/snapshot${query}`,
          a2ui: `/__openclaw__/a2ui/messages${query}`,
        },
      };
    },
  },
  "node.session.end": {
    scope: "node",
    handle: async (call) => {
      const nodeId = nodeIdOf(call);
      const sessionKey = requireString(call.params, "sessionKey", 512);
      call.gateway.security.capabilities.endSession(nodeId, sessionKey);
      call.gateway.security.canvas.drop(nodeId, sessionKey);
      return { ended: true };
    },
  },
  "sessions.list": {
    scope: "operator.read",
    handle: async ({ gateway, params }) => {
      const agentId = optionalString(params, "agentId");
      const sessions = (await gateway.transcripts.list()).filter(
        (session) => !agentId || session.agentId === agentId,
      );
      return { ts: Date.now(), count: sessions.length, sessions };
    },
  },
  "chat.history": {
    scope: "operator.read",
    handle: async ({ gateway, params }) => {
      const sessionKey = validateSessionKey(params.sessionKey);
      const limit = typeof params.limit === "number" && params.limit > 0 ? Math.min(params.limit, 1000) : 200;
      const entries = await gateway.transcripts.read(sessionKey);
      return { sessionKey, messages: entries.slice(-limit).map(toHistoryMessage) };
    },
  },
  "chat.send": {
    scope: "operator.write",
    handle: ({ gateway, params, client }) => {
      const sessionKey = validateSessionKey(params.sessionKey);
      const message = requireString(params, "message");
      const idempotencyKey = requireString(params, "idempotencyKey", 256);
      const agentId =
        optionalString(params, "agentId") ?? agentIdFromSessionKey(sessionKey) ?? defaultAgentId(gateway);
      const previous = chatRuns.get(idempotencyKey);
      if (previous) return { runId: previous.runId, status: previous.done ? "ok" : "in_flight" };
      gateway.supervisor.assertAvailable(agentId);
      const runId = randomUUID();
      const record = { runId, done: false };
      chatRuns.set(idempotencyKey, record);
      const publisher = new ChatRunPublisher(
        (event, payload) => gateway.events.emit("broadcast", event, payload),
        runId,
        sessionKey,
        agentId,
      );
      gateway.chat
        .runTurn({
          agentId,
          sessionKey,
          runId,
          input: { kind: "message", text: message },
          origin: { transport: "ws", route: "chat.send", requestId: client.connId },
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
    },
  },
  "canvas.get": {
    scope: "operator.read",
    handle: async ({ gateway, params }) => {
      const sessionKey = validateSessionKey(params.sessionKey);
      const canvas = gateway.canvases.get(sessionKey);
      return {
        sessionKey,
        html: canvas?.html ?? null,
        a2ui: canvas?.a2ui ?? [],
        updatedAt: canvas?.updatedAt ?? null,
      };
    },
  },
  "canvas.action": {
    scope: "operator.write",
    /** A click on an A2UI surface: the agent hears of it as a message in the same session. */
    handle: (call) => {
      const sessionKey = validateSessionKey(call.params.sessionKey);
      const action = call.params.action as Record<string, unknown> | undefined;
      if (typeof action !== "object" || action === null || typeof action.name !== "string" || !action.name) {
        throw new OpenClawError("OC_ERR_BAD_REQUEST", "canvas.action needs action.name");
      }
      const where = [action.surfaceId, action.sourceComponentId]
        .filter((part) => typeof part === "string")
        .join("/");
      const context = action.context !== undefined ? ` with ${JSON.stringify(action.context)}` : "";
      const message = `A2UI action "${action.name}"${where ? ` from ${where}` : ""}${context}`;
      return METHODS["chat.send"]?.handle({
        ...call,
        params: {
          sessionKey,
          message,
          idempotencyKey: randomUUID(),
          ...(typeof call.params.agentId === "string" ? { agentId: call.params.agentId } : {}),
        },
      });
    },
  },
  "chat.abort": {
    scope: "operator.write",
    handle: ({ gateway, params }) => {
      const sessionKey = validateSessionKey(params.sessionKey);
      const runIds = gateway.chat.abort(sessionKey, optionalString(params, "runId"));
      return { ok: true, aborted: runIds.length > 0, runIds };
    },
  },
};

export function findMethod(method: string): MethodDefinition {
  const definition = METHODS[method];
  if (!definition) {
    throw new OpenClawError("OC_ERR_UNKNOWN_METHOD", `unknown method "${method}"`, {
      hint: `this gateway serves: ${Object.keys(METHODS).join(", ")}`,
    });
  }
  return definition;
}

export { paramsObject };
