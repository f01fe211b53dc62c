import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { AskRequest, McpHttpSessions } from "../../mcp/serve/index.js";
import { OPERATOR_WRITE, withAccess } from "../access/route-access.js";

export interface McpRouteDeps {
  sessions: Pick<McpHttpSessions, "handle" | "close">;
  ask(request: AskRequest): Promise<unknown>;
}

/** The request as the SDK's web-standard transport reads it (headers and method; the body is parsed). */
function webRequest(request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  // The transport reads nothing of the URL; the Host was judged by the boundary, and a request
  // target in absolute form (or a Host it let through) must not make URL parsing fail here.
  return new Request("http://127.0.0.1/mcp", { method: request.method, headers });
}

async function serveMcp(deps: McpRouteDeps, request: FastifyRequest, reply: FastifyReply) {
  const exchange = await deps.sessions.handle(
    webRequest(request),
    request.method === "POST" ? request.body : undefined,
    request.principal?.user,
  );
  // An SSE stream lasts until the client hangs up: the session counts as busy until then.
  reply.raw.once("close", exchange.release);
  reply.code(exchange.response.status);
  return reply.send(exchange.response);
}

/**
 * `mcp serve` over streamable HTTP at `/mcp`, on the gateway's own port and behind its boundary:
 * an operator credential (the gateway token) or no answer, as for every operator route. Write
 * scope, because a tool call runs agent turns. And `POST /__openclaw__/agents/:id/ask`, one turn
 * that answers with the reply: how `openclaw mcp serve` over stdio asks an agent.
 */
export function registerMcpRoutes(server: FastifyInstance, deps: McpRouteDeps): void {
  for (const method of ["POST", "GET", "DELETE"] as const) {
    server.route({
      method,
      url: "/mcp",
      ...withAccess(OPERATOR_WRITE),
      handler: (request, reply) => serveMcp(deps, request, reply),
    });
  }
  server.addHook("onClose", async () => deps.sessions.close());
  server.post<{ Params: { id: string }; Body: { message?: unknown; sessionKey?: unknown } | undefined }>(
    "/__openclaw__/agents/:id/ask",
    withAccess(OPERATOR_WRITE),
    async (request, reply) => {
      // A caller that hangs up (the stdio bridge's client went away) ends the turn too.
      const aborted = new AbortController();
      reply.raw.once("close", () => {
        if (!reply.raw.writableFinished) aborted.abort(new Error("the client went away"));
      });
      return deps.ask({
        agentId: request.params.id,
        message: request.body?.message as string,
        sessionKey: request.body?.sessionKey as string,
        signal: aborted.signal,
      });
    },
  );
}
