import type { FastifyInstance } from "fastify";
import type { DeclaredRoute } from "../access/http-boundary.js";
import { OPERATOR_READ, withAccess } from "../access/route-access.js";

/**
 * What this gateway serves and to whom: every route with its declared access. Operators use it
 * to review the exposure of a build; the attacker-side tests read it to enumerate their targets.
 */
export function registerRouteTableRoutes(server: FastifyInstance, routes: readonly DeclaredRoute[]): void {
  server.get("/__openclaw__/routes", withAccess(OPERATOR_READ), async () => ({
    routes: routes.map(({ method, url, access, websocketConnect }) => ({
      method,
      url,
      access,
      ...(websocketConnect ? { websocketConnect } : {}),
    })),
  }));
}
