import { sessionKeys } from "../../sessions/index.js";
import type { ClientPresence } from "./client-presence.js";
import type { Admission } from "./connect-handshake.js";
import { MAX_BUFFERED_BYTES, MAX_PAYLOAD_BYTES, TICK_INTERVAL_MS } from "./frames.js";

/** Events this gateway sends; `features.events` in hello-ok. */
export const SERVER_EVENTS = [
  "connect.challenge",
  "tick",
  "shutdown",
  "chat",
  "agent",
  "canvas",
  "node.pair.requested",
  "node.pair.resolved",
];

/**
 * The `hello-ok` payload with every field the protocol's HelloOk schema requires. `auth.scopes`
 * is this socket's live authority, exactly what dispatch enforces.
 */
export interface HelloOkDeps {
  version: string;
  startedAt: number;
  presence: Pick<ClientPresence, "list" | "stateVersion">;
  authMode(): string;
  defaultAgentId(): string;
}

export function buildHelloOk(
  gateway: HelloOkDeps,
  admission: Extract<Admission, { ok: true }>,
  connId: string,
  methods: string[],
): Record<string, unknown> {
  const now = Date.now();
  const agentId = gateway.defaultAgentId();
  return {
    type: "hello-ok",
    protocol: admission.protocol,
    server: { version: gateway.version, connId },
    features: { methods, events: SERVER_EVENTS },
    snapshot: {
      // Operators see who else is connected; a node sees no one.
      presence: admission.role === "operator" ? gateway.presence.list() : [],
      health: { ok: true, ts: now },
      stateVersion: { presence: gateway.presence.stateVersion(), health: 0 },
      uptimeMs: Math.max(0, Math.round(now - gateway.startedAt)),
      // Paths and auth mode are for operators; a node learns only what it needs to stay connected.
      ...(admission.role === "operator"
        ? {
            sessionDefaults: {
              defaultAgentId: agentId,
              mainKey: "main",
              mainSessionKey: sessionKeys.main(agentId),
              scope: "per-sender",
            },
            authMode: gateway.authMode(),
          }
        : {}),
    },
    auth: { role: admission.role, scopes: admission.role === "operator" ? admission.scopes : [] },
    policy: {
      maxPayload: MAX_PAYLOAD_BYTES,
      maxBufferedBytes: MAX_BUFFERED_BYTES,
      tickIntervalMs: TICK_INTERVAL_MS,
    },
  };
}
