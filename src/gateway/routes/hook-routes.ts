import type { FastifyInstance } from "fastify";
import { type HookService, readHookBody } from "../../automation/hooks/index.js";
import { HOOK, withAccess } from "../access/route-access.js";

export interface HookRouteDeps {
  /** hooks.path, read when the server is built. */
  path: string;
  /** hooks.maxBodyBytes, read per request. */
  maxBodyBytes(): number;
  service: HookService;
}

/**
 * OpenClaw's inbound hooks: `POST <path>/agent` and `POST <path>/wake`, behind the hook token
 * (the boundary's `hook` access). They are always registered, so the route table shows them and
 * the attack tests reach them; while hooks.enabled is off the boundary answers 404.
 */
export function registerHookRoutes(server: FastifyInstance, deps: HookRouteDeps): void {
  // A scope of their own: their body is read under hooks.maxBodyBytes (not the gateway's limit)
  // and parsed as JSON whatever its Content-Type, as OpenClaw's generic hooks do.
  void server.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", (request, payload, done) => {
      readHookBody(payload, request.headers["content-length"], deps.maxBodyBytes()).then(
        (body) => done(null, body),
        (error: Error) => done(error, undefined),
      );
    });
    scope.post(`${deps.path}/agent`, withAccess(HOOK), async (request, reply) => {
      const answer = await deps.service.agent(request.body ?? {}, request.headers, `${deps.path}/agent`);
      return reply.code(answer.status).send(answer.body);
    });
    scope.post(`${deps.path}/wake`, withAccess(HOOK), async (request, reply) => {
      const answer = await deps.service.wake(request.body ?? {}, `${deps.path}/wake`);
      return reply.code(answer.status).send(answer.body);
    });
  });
}
