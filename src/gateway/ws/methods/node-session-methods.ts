import { OpenClawError } from "../../../errors.js";
import type { GatewaySecurity } from "../../gateway-security.js";
import { requireString } from "../frames.js";
import type { MethodCall, MethodTable } from "./method-definition.js";

function nodeIdOf(call: MethodCall): string {
  if (!call.client.nodeId) throw new OpenClawError("OC_ERR_FORBIDDEN", "only a paired node may call this");
  return call.client.nodeId;
}

/** What a connected node asks for itself: capabilities for its session's canvas surfaces. */
/** What a node's own calls need of the gateway's security state. */
export interface NodeSessionMethodsDeps {
  security: Pick<GatewaySecurity, "maySeeSession" | "capabilities" | "unbindSession" | "canvas">;
}

export function nodeSessionMethods(deps: NodeSessionMethodsDeps): MethodTable {
  return {
    "node.capability": {
      role: "node",
      handle: async (call) => {
        const nodeId = nodeIdOf(call);
        const sessionKey = requireString(call.params, "sessionKey", 512);
        if (!deps.security.maySeeSession(nodeId, sessionKey)) {
          throw new OpenClawError("OC_ERR_FORBIDDEN", `session ${sessionKey} is not shown on this node`, {
            hint: "an operator shows a session on a node with canvas.update { nodeId, sessionKey }; a node's own sessions are agent:<agent>:node:<nodeId>",
          });
        }
        const { token, expiresAt } = deps.security.capabilities.issue({
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
      role: "node",
      handle: async (call) => {
        const nodeId = nodeIdOf(call);
        const sessionKey = requireString(call.params, "sessionKey", 512);
        deps.security.capabilities.endSession(nodeId, sessionKey);
        deps.security.unbindSession(nodeId, sessionKey);
        deps.security.canvas.drop(nodeId, sessionKey);
        return { ended: true };
      },
    },
  };
}
