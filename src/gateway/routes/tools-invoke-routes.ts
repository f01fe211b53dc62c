import { createHash, randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { RunService } from "../../agents/index.js";
import { OpenClawError } from "../../errors.js";
import { agentIdOfSessionKey, sessionKeys, validateSessionKey } from "../../sessions/index.js";
import { OPERATOR_WRITE, withAccess } from "../access/route-access.js";

/**
 * Tools never reachable over this route, whatever the agent's allow-list says: a direct call
 * skips the model's judgement, so what executes commands, rewrites files or starts other agents
 * stays behind a turn. OpenClaw's own names are listed too, for plugins that reuse them.
 */
export const HTTP_DENIED_TOOLS: ReadonlySet<string> = new Set([
  "exec",
  "write",
  "edit",
  "agents_spawn",
  "spawn",
  "shell",
  "fs_write",
  "fs_delete",
  "fs_move",
  "apply_patch",
  "sessions_spawn",
  "sessions_send",
  "cron",
  "gateway",
  "nodes",
]);

export interface ToolsInvokeDeps {
  runs: Pick<RunService, "run">;
  agents: { has(agentId: string): boolean; defaultAgentId(): string };
}

interface InvokeRequest {
  tool: string;
  args: Record<string, unknown>;
  sessionKey: string | undefined;
  agentId: string | undefined;
  idempotencyKey: string | undefined;
}

function bad(message: string, param: string): OpenClawError {
  return new OpenClawError("OC_ERR_BAD_REQUEST", message, { details: { param } });
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") throw bad(`${field} must be a string`, field);
  return value;
}

/** OpenClaw's body: `name` wins over `tool`; `action` joins `args` unless `args` has one. */
function parseInvokeRequest(raw: unknown): InvokeRequest {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw bad("request body must be a JSON object", "body");
  const body = raw as Record<string, unknown>;
  const tool = optionalString(body, "name") ?? optionalString(body, "tool");
  if (tool === undefined) throw bad("tool (or name) is required: the tool to invoke", "tool");
  const args = body.args ?? {};
  if (typeof args !== "object" || args === null || Array.isArray(args))
    throw bad("args must be a JSON object", "args");
  const action = optionalString(body, "action");
  return {
    tool,
    args:
      action !== undefined && !("action" in args) ? { ...args, action } : (args as Record<string, unknown>),
    sessionKey: optionalString(body, "sessionKey"),
    agentId: optionalString(body, "agentId"),
    idempotencyKey: optionalString(body, "idempotencyKey"),
  };
}

/** The agent and session of an invocation: `main` (or none) is the agent's main session. */
function targetOf(request: InvokeRequest, agents: ToolsInvokeDeps["agents"]) {
  const explicit =
    request.sessionKey === undefined || request.sessionKey === "main" ? undefined : request.sessionKey;
  const keyAgent = explicit === undefined ? undefined : agentIdOfSessionKey(validateSessionKey(explicit));
  if (request.agentId !== undefined && keyAgent !== undefined && keyAgent !== request.agentId) {
    throw bad(`sessionKey belongs to agent "${keyAgent}", not to agentId "${request.agentId}"`, "agentId");
  }
  const agentId = request.agentId ?? keyAgent ?? agents.defaultAgentId();
  if (!agents.has(agentId)) {
    throw new OpenClawError("OC_ERR_UNKNOWN_AGENT", `agent "${agentId}" does not exist`, {
      hint: "GET /v1/models lists the agents",
    });
  }
  return { agentId, sessionKey: explicit ?? sessionKeys.main(agentId) };
}

export function registerToolsInvokeRoutes(server: FastifyInstance, deps: ToolsInvokeDeps): void {
  server.post("/tools/invoke", withAccess(OPERATOR_WRITE), async (request) => {
    const body = parseInvokeRequest(request.body);
    if (HTTP_DENIED_TOOLS.has(body.tool)) {
      throw new OpenClawError("OC_ERR_TOOL_NOT_FOUND", `tool "${body.tool}" is not invocable over HTTP`, {
        hint: "it runs commands, changes files or starts agents: ask an agent in a turn instead",
      });
    }
    const { agentId, sessionKey } = targetOf(body, deps.agents);
    // A retried idempotency key names the same call, so the tool sees the same call id.
    const callId =
      body.idempotencyKey === undefined
        ? `http_${randomUUID()}`
        : `http_${createHash("sha256").update(body.idempotencyKey).digest("hex").slice(0, 24)}`;
    const { outcome } = await deps.runs.run({
      agentId,
      sessionKey,
      input: { kind: "tool-invoke", call: { id: callId, name: body.tool, input: body.args } },
      origin: {
        transport: "http",
        route: "POST /tools/invoke",
        requestId: String(request.id),
        client: request.ip,
      },
    });
    return { ok: true, result: outcome.invoked ?? null };
  });
}
