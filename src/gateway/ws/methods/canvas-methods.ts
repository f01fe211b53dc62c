import { randomUUID } from "node:crypto";
import type { RunService } from "../../../agents/index.js";
import type { SessionCanvases } from "../../../canvas/index.js";
import { OpenClawError } from "../../../errors.js";
import { validateSessionKey } from "../../../sessions/index.js";
import type { GatewaySecurity } from "../../gateway-security.js";
import { invalidParams, optionalString, requireString } from "../frames.js";
import { startAnnouncedRun } from "./chat-methods.js";
import type { MethodTable } from "./method-definition.js";

function optionalArray(params: Record<string, unknown>, key: string): unknown[] | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw invalidParams(`params.${key} must be an array`);
  return value;
}

/** Canvases over WebSocket: what operators put on nodes, what agents drew, clicks on it. */
export interface CanvasMethodsDeps {
  security: Pick<GatewaySecurity, "bindSession" | "canvas">;
  canvases: Pick<SessionCanvases, "get">;
  runs: Pick<RunService, "start">;
}

export function canvasMethods(deps: CanvasMethodsDeps): MethodTable {
  return {
    "canvas.update": {
      role: "operator",
      scope: "operator.write",
      handle: async ({ params }) => {
        const nodeId = requireString(params, "nodeId");
        const sessionKey = requireString(params, "sessionKey", 512);
        const a2ui = optionalArray(params, "a2ui");
        deps.security.bindSession(nodeId, sessionKey);
        const canvas = deps.security.canvas.update(nodeId, sessionKey, {
          ...(params.snapshot !== undefined ? { snapshot: params.snapshot } : {}),
          ...(a2ui ? { a2ui } : {}),
        });
        return { updatedAt: canvas.updatedAt };
      },
    },
    "canvas.get": {
      role: "operator",
      scope: "operator.read",
      handle: async ({ params }) => {
        const sessionKey = validateSessionKey(params.sessionKey);
        const canvas = deps.canvases.get(sessionKey);
        return {
          sessionKey,
          html: canvas?.html ?? null,
          a2ui: canvas?.a2ui ?? [],
          updatedAt: canvas?.updatedAt ?? null,
        };
      },
    },
    "canvas.action": {
      role: "operator",
      scope: "operator.write",
      /** A click on an A2UI surface: the agent hears of it as a message in the same session. */
      handle: ({ params, client }) => {
        const sessionKey = validateSessionKey(params.sessionKey);
        const action = params.action as Record<string, unknown> | undefined;
        if (
          typeof action !== "object" ||
          action === null ||
          typeof action.name !== "string" ||
          !action.name
        ) {
          throw new OpenClawError("OC_ERR_BAD_REQUEST", "canvas.action needs action.name");
        }
        const where = [action.surfaceId, action.sourceComponentId]
          .filter((part) => typeof part === "string")
          .join("/");
        const context = action.context !== undefined ? ` with ${JSON.stringify(action.context)}` : "";
        const agentId = optionalString(params, "agentId");
        return startAnnouncedRun(deps.runs, {
          sessionKey,
          input: {
            kind: "message",
            text: `A2UI action "${action.name}"${where ? ` from ${where}` : ""}${context}`,
          },
          // A retried click with the same key is the same click, not a second turn.
          idempotencyKey: optionalString(params, "idempotencyKey") ?? randomUUID(),
          ...(agentId ? { agentId } : {}),
          origin: { transport: "ws", route: "canvas.action", requestId: client.connId },
        });
      },
    },
  };
}
