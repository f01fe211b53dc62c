import { OpenClawError } from "../../errors.js";
import { type AgentMethodsDeps, agentMethods } from "./methods/agent-methods.js";
import { type AgentRunMethodDeps, agentRunMethods } from "./methods/agent-run-method.js";
import { type CanvasMethodsDeps, canvasMethods } from "./methods/canvas-methods.js";
import { type ChannelMethodsDeps, channelMethods } from "./methods/channel-methods.js";
import { type ChatMethodsDeps, chatMethods } from "./methods/chat-methods.js";
import { type CronMethodsDeps, cronMethods } from "./methods/cron-methods.js";
import type { MethodDefinition, MethodTable } from "./methods/method-definition.js";
import { type NodePairingMethodsDeps, nodePairingMethods } from "./methods/node-pairing-methods.js";
import { type NodeSessionMethodsDeps, nodeSessionMethods } from "./methods/node-session-methods.js";
import { type SecretMethodsDeps, secretMethods } from "./methods/secret-methods.js";
import { type SessionMethodsDeps, sessionMethods } from "./methods/session-methods.js";
import { type SystemMethodsDeps, systemMethods } from "./methods/system-methods.js";

export type { MethodCall, MethodDefinition, MethodTable } from "./methods/method-definition.js";

/** What each family of methods is given; the composition root builds it once. */
export interface MethodFamilies {
  system: SystemMethodsDeps;
  agents: AgentMethodsDeps;
  sessions: SessionMethodsDeps;
  chat: ChatMethodsDeps;
  agentRun: AgentRunMethodDeps;
  canvas: CanvasMethodsDeps;
  nodePairing: NodePairingMethodsDeps;
  nodeSession: NodeSessionMethodsDeps;
  secrets: SecretMethodsDeps;
  channels: ChannelMethodsDeps;
  cron: CronMethodsDeps;
}

/** Every method this gateway serves over WebSocket, by family, each with only its own deps. */
export function buildMethodTable(families: MethodFamilies): MethodTable {
  return {
    ...systemMethods(families.system),
    ...agentMethods(families.agents),
    ...sessionMethods(families.sessions),
    ...chatMethods(families.chat),
    ...agentRunMethods(families.agentRun),
    ...canvasMethods(families.canvas),
    ...nodePairingMethods(families.nodePairing),
    ...nodeSessionMethods(families.nodeSession),
    ...secretMethods(families.secrets),
    ...channelMethods(families.channels),
    ...cronMethods(families.cron),
  };
}

/**
 * The method, or the protocol's unknown-method error. OpenClaw clients compare the message to
 * `unknown method: <name>` exactly (to fall back to older methods), so it carries no hint.
 */
export function findMethod(methods: MethodTable, method: string): MethodDefinition {
  const definition = Object.hasOwn(methods, method) ? methods[method] : undefined;
  if (!definition) throw new OpenClawError("OC_ERR_UNKNOWN_METHOD", `unknown method: ${method}`);
  return definition;
}

/** `hello-ok.features.methods`: what this role may call (discovery, not authority). */
export function methodsForRole(methods: MethodTable, role: "operator" | "node"): string[] {
  return Object.entries(methods)
    .filter(([, definition]) => definition.role === "any" || definition.role === role)
    .map(([name]) => name);
}
