import type { FastifyInstance, FastifyRequest } from "fastify";
import type { CanvasStore, SessionCanvases } from "../../canvas/index.js";
import { OpenClawError } from "../../errors.js";
import { capabilityAccess, withAccess } from "../access/route-access.js";

function grantOf(request: FastifyRequest) {
  // The auth boundary set it; a route reached without one is a wiring bug, not a client error.
  if (!request.capability) throw new OpenClawError("OC_ERR_UNAUTHORIZED", "capability required");
  return request.capability;
}

/**
 * The node-scoped surfaces. Each answers for the one (node, session) its capability names:
 * there is no parameter to ask for another node's canvas.
 */
export interface CanvasRouteDeps {
  /** What operators put on each node's screen (canvas.update). */
  nodeCanvases: Pick<CanvasStore, "get">;
  /** What each session's agent drew with its canvas tool. */
  sessionCanvases: Pick<SessionCanvases, "get">;
}

export function registerCanvasRoutes(server: FastifyInstance, deps: CanvasRouteDeps): void {
  server.get("/__openclaw__/canvas/snapshot", withAccess(capabilityAccess("canvas")), async (request) => {
    const { nodeId, sessionKey } = grantOf(request);
    const canvas = deps.nodeCanvases.get(nodeId, sessionKey);
    const session = deps.sessionCanvases.get(sessionKey);
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
        ...(deps.sessionCanvases.get(sessionKey)?.a2ui ?? []),
        ...(deps.nodeCanvases.get(nodeId, sessionKey)?.a2ui ?? []),
      ],
    };
  });
}
