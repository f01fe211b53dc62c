import type { SessionCanvasState } from "../../canvas/index.js";
import type { BroadcastEvents } from "./broadcast-bus.js";

/** A session's canvas as the `canvas` event carries it: whole, after each change. */
export function canvasEvent(state: SessionCanvasState): BroadcastEvents["canvas"] {
  return {
    sessionKey: state.sessionKey,
    agentId: state.agentId,
    html: state.html ?? null,
    a2ui: state.a2ui,
    updatedAt: state.updatedAt,
  };
}
