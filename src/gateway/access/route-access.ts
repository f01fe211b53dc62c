import type { CapabilitySurface } from "../../auth/index.js";
import type { OperatorScope } from "../ws/operator-scopes.js";

/**
 * Who may reach an HTTP route. Every route declares one where it is registered
 * (`config: { access }`); the boundary refuses to register a route without one, and refuses to
 * serve a request whose route has none. The declaration is data, so a test can read the whole
 * route table and attack each entry.
 */
export type RouteAccess =
  /** Anyone: liveness probes and the Control UI's static shell (which holds no data). */
  | { kind: "public" }
  /** A credential of the configured auth mode, holding `scopes` (an HTTP credential holds all). */
  | { kind: "operator"; scopes: readonly OperatorScope[] }
  /** A node's capability for this surface; never a token, a password or an address. */
  | { kind: "capability"; surface: CapabilitySurface }
  /** `GET /metrics`: operator, or public while `metrics.public` is set (read per request). */
  | { kind: "metrics" }
  /**
   * `hooks.path`'s routes: the hook token only. No gateway credential opens them, and the hook
   * token opens nothing else (every other kind asks the gateway's authenticator, which never
   * knows it).
   */
  | { kind: "hook" }
  /**
   * The internal hop between replicas of a cluster: the hop signature of the cluster secret
   * only. No gateway credential opens it, and the hop signature opens nothing else.
   */
  | { kind: "cluster" };

export const PUBLIC: RouteAccess = { kind: "public" };
export const OPERATOR_READ: RouteAccess = { kind: "operator", scopes: ["operator.read"] };
export const OPERATOR_WRITE: RouteAccess = { kind: "operator", scopes: ["operator.write"] };
export const OPERATOR_ADMIN: RouteAccess = { kind: "operator", scopes: ["operator.admin"] };
export const OPERATOR_PAIRING: RouteAccess = { kind: "operator", scopes: ["operator.pairing"] };
export const METRICS: RouteAccess = { kind: "metrics" };
export const HOOK: RouteAccess = { kind: "hook" };
export const CLUSTER_HOP: RouteAccess = { kind: "cluster" };

export function capabilityAccess(surface: CapabilitySurface): RouteAccess {
  return { kind: "capability", surface };
}

/**
 * The Fastify route options that carry a declaration: `server.get(path, withAccess(X), handler)`.
 * `websocket: true` marks the one route whose real upgrades (Node's `upgrade` event) are let
 * through to the WebSocket handshake, where `connect` authenticates; a plain request to it is
 * judged by `access` like any other.
 */
export function withAccess(access: RouteAccess, options: { websocket?: boolean } = {}) {
  return { config: { access, ...(options.websocket ? { websocketConnect: true } : {}) } };
}

declare module "fastify" {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** Real upgrades of this route go to the WebSocket handshake (see withAccess). */
    websocketConnect?: boolean;
  }
}
