import { OpenClawError } from "../../errors.js";
import type { HostServiceHandler } from "./host-service.js";

/** What the canvas tool asks of the session's canvas. */
export interface CanvasCall {
  agentId: string;
  sessionKey: string;
  action: string;
  input: Record<string, unknown>;
}

/** `canvas.<action>` on the asking turn's session's canvas; `apply` checks the action itself. */
export function canvasService(apply: (call: CanvasCall) => unknown): HostServiceHandler {
  return ({ agentId, sessionKey, operation, input }) => {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      throw new OpenClawError("OC_ERR_BAD_REQUEST", "the canvas service takes a JSON object as input");
    }
    return apply({ agentId, sessionKey, action: operation, input: input as Record<string, unknown> });
  };
}
