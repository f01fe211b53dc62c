import type { FastifyInstance, FastifyRequest } from "fastify";
import { OpenClawError } from "../../errors.js";
import { capabilityAccess, withAccess } from "../access/route-access.js";
import type { GatewayContext } from "../gateway-context.js";

function grantOf(request: FastifyRequest) {
  // The auth boundary set it; a route reached without one is a wiring bug, not a client error.
  if (!request.capability) throw new OpenClawError("OC_ERR_UNAUTHORIZED", "capability required");
  return request.capability;
}

/**
 * The node-scoped surfaces. Each answers for the one (node, session) its capability names:
 * there is no parameter to ask for another node's canvas.
 */
export function registerCanvasRoutes(server: FastifyInstance, context: GatewayContext): void {
  server.get("/__openclaw__/canvas/snapshot", withAccess(capabilityAccess("canvas")), async (request) => {
    const { nodeId, sessionKey } = grantOf(request);
    const canvas = context.security.canvas.get(nodeId, sessionKey);
    const session = context.canvases.get(sessionKey);
    return {
      nodeId,
      sessionKey,
      snapshot: canvas?.snapshot ?? null,
      updatedAt: canvas?.updatedAt ?? session?.updatedAt ?? null,
      // What the session's agent drew with its canvas tool.
      html: session?.html ?? null,
      a2ui: session?.a2ui ?? [],
    };
  });
  server.get("/__openclaw__/a2ui/messages", withAccess(capabilityAccess("a2ui")), async (request) => {
    const { nodeId, sessionKey } = grantOf(request);
    return {
      nodeId,
      sessionKey,
      messages: [
        ...(context.canvases.get(sessionKey)?.a2ui ?? []),
        ...(context.security.canvas.get(nodeId, sessionKey)?.a2ui ?? []),
      ],
    };
  });
}
