import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { CapabilitySurface } from "../auth/index.js";
import { OpenClawError } from "../errors.js";
import { isLoopbackAddress } from "./client-address.js";
import type { GatewayContext } from "./gateway-context.js";
import { sendHttpError } from "./routes/http-errors.js";
import { METRICS_PATH } from "./routes/metrics-routes.js";
import { isUiPath } from "./routes/ui-routes.js";

/** Liveness and readiness: no details, no auth. */
export const PUBLIC_PATHS = new Set(["/health", "/readyz"]);

export const CAPABILITY_HEADER = "x-openclaw-capability";
export const CAPABILITY_QUERY = "cap";

/** The node-scoped surfaces: served to a capability, never to a token, a password or an address. */
export function capabilitySurfaceOf(path: string): CapabilitySurface | undefined {
  if (path === "/__openclaw__/canvas" || path.startsWith("/__openclaw__/canvas/")) return "canvas";
  if (path === "/__openclaw__/a2ui" || path.startsWith("/__openclaw__/a2ui/")) return "a2ui";
  return undefined;
}

export interface CapabilityGrant {
  nodeId: string;
  sessionKey: string;
}

declare module "fastify" {
  interface FastifyRequest {
    /** Set on canvas/A2UI requests that carried a valid capability. */
    capability?: CapabilityGrant;
  }
}

function capabilityOf(request: FastifyRequest): string | undefined {
  const header = request.headers[CAPABILITY_HEADER];
  if (typeof header === "string" && header.trim()) return header.trim();
  const query = request.query as Record<string, unknown> | undefined;
  const value = query?.[CAPABILITY_QUERY];
  return typeof value === "string" && value ? value : undefined;
}

function loopbackOrigin(origin: string): boolean {
  try {
    const { hostname } = new URL(origin);
    return hostname === "localhost" || isLoopbackAddress(hostname.replace(/^\[|\]$/g, ""));
  } catch {
    return false;
  }
}

/** Whether a browser page of `origin` may open the WebSocket (no Origin: not a browser). */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  return loopbackOrigin(origin) || allowed.includes(origin);
}

function refuse(
  reply: FastifyReply,
  request: FastifyRequest,
  context: GatewayContext,
  failure: { status: 401 | 403 | 429; reason: string; message: string; retryAfterMs?: number; hint?: string },
) {
  // Header values are never logged: they are the credentials being refused.
  context.logger.warn(
    { reason: failure.reason, path: request.url.split("?")[0], client: request.socket.remoteAddress },
    "request refused",
  );
  if (failure.status === 401) reply.header("WWW-Authenticate", 'Bearer realm="openclaw"');
  const code =
    failure.status === 429
      ? "OC_ERR_RATE_LIMITED"
      : failure.status === 403
        ? "OC_ERR_FORBIDDEN"
        : "OC_ERR_UNAUTHORIZED";
  return sendHttpError(
    reply,
    request,
    new OpenClawError(code, failure.message, {
      ...(failure.hint ? { hint: failure.hint } : {}),
      details: {
        reason: failure.reason,
        ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
      },
    }),
  );
}

/**
 * The HTTP side of the auth boundary. Every request but the two probes is judged before any
 * route runs: canvas and A2UI by capability only, WebSocket upgrades by origin (their
 * credentials come in `connect`), everything else by the configured auth mode.
 */
export function registerHttpAuth(server: FastifyInstance, context: GatewayContext): void {
  server.addHook("onRequest", async (request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    if (PUBLIC_PATHS.has(path)) return;
    if (path === METRICS_PATH && context.config().metrics.public) return;
    if (isUiPath(path, request.method) && request.headers.upgrade?.toLowerCase() !== "websocket") return;

    const surface = capabilitySurfaceOf(path);
    if (surface) {
      // Behind a trusted proxy, the proxy's checks hold for these URLs too (the seed's 401
      // without X-Forwarded-For); the capability is needed on top, never instead.
      if (context.security.auth.mode === "trusted-proxy") {
        const outcome = context.security.auth.authenticate({
          socketAddress: request.socket.remoteAddress ?? "",
          headers: request.headers,
        });
        if (!outcome.ok) return refuse(reply, request, context, outcome);
      }
      const verdict = context.security.capabilities.verify(capabilityOf(request) ?? "", surface);
      if (!verdict.ok) {
        return refuse(reply, request, context, {
          status: 401,
          reason: `capability_${verdict.reason}`,
          message: `this URL needs a valid capability issued to a node (${verdict.reason})`,
          hint: "a paired node gets one over the WebSocket with node.capability",
        });
      }
      request.capability = { nodeId: verdict.nodeId, sessionKey: verdict.sessionKey };
      return;
    }

    if (request.headers.upgrade?.toLowerCase() === "websocket") {
      const origin = request.headers.origin;
      if (!originAllowed(origin, context.config().gateway.controlUi.allowedOrigins)) {
        return refuse(reply, request, context, {
          status: 403,
          reason: "origin_not_allowed",
          message: "this browser origin may not open the gateway's WebSocket",
          hint: "add it to gateway.controlUi.allowedOrigins",
        });
      }
      return;
    }

    const outcome = context.security.auth.authenticate({
      socketAddress: request.socket.remoteAddress ?? "",
      headers: request.headers,
    });
    if (!outcome.ok) return refuse(reply, request, context, outcome);
    if (outcome.principal.via === "none" && !isLoopbackAddress(request.socket.remoteAddress)) {
      return refuse(reply, request, context, {
        status: 403,
        reason: "loopback_only",
        message: 'auth mode "none" serves loopback clients only',
      });
    }
  });

  // Security headers on every answer; the UI gets its CSP where it is served.
  server.addHook("onSend", async (_request, reply, payload) => {
    reply.header("X-Content-Type-Options", "nosniff");
    reply.header("Referrer-Policy", "no-referrer");
    reply.header("X-Frame-Options", "DENY");
    if (!reply.hasHeader("Content-Security-Policy")) {
      // The UI's own files set theirs (see ui-routes); everything else is data, never a page.
      reply.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }
    return payload;
  });
}
