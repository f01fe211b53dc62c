import { OpenClawError } from "../../errors.js";
import { AGENT_METHODS } from "./methods/agent-methods.js";
import { AGENT_RUN_METHODS } from "./methods/agent-run-method.js";
import { CANVAS_METHODS } from "./methods/canvas-methods.js";
import { CHAT_METHODS } from "./methods/chat-methods.js";
import type { MethodDefinition, MethodTable } from "./methods/method-definition.js";
import { NODE_PAIRING_METHODS } from "./methods/node-pairing-methods.js";
import { NODE_SESSION_METHODS } from "./methods/node-session-methods.js";
import { SECRET_METHODS } from "./methods/secret-methods.js";
import { SESSION_METHODS } from "./methods/session-methods.js";
import { SYSTEM_METHODS } from "./methods/system-methods.js";

export type { MethodCall, MethodDefinition } from "./methods/method-definition.js";

/** Every method this gateway serves over WebSocket, by family. */
export const METHODS: MethodTable = {
  ...SYSTEM_METHODS,
  ...AGENT_METHODS,
  ...SESSION_METHODS,
  ...CHAT_METHODS,
  ...AGENT_RUN_METHODS,
  ...CANVAS_METHODS,
  ...NODE_PAIRING_METHODS,
  ...NODE_SESSION_METHODS,
  ...SECRET_METHODS,
};

/**
 * The method, or the protocol's unknown-method error. OpenClaw clients compare the message to
 * `unknown method: <name>` exactly (to fall back to older methods), so it carries no hint.
 */
export function findMethod(method: string): MethodDefinition {
  const definition = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
  if (!definition) throw new OpenClawError("OC_ERR_UNKNOWN_METHOD", `unknown method: ${method}`);
  return definition;
}

/** `hello-ok.features.methods`: what this role may call (discovery, not authority). */
export function methodsForRole(role: "operator" | "node"): string[] {
  return Object.entries(METHODS)
    .filter(([, definition]) => definition.role === "any" || definition.role === role)
    .map(([name]) => name);
}
