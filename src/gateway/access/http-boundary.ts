import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Principal } from "../../auth/index.js";
import type { HookAttempt, HookAuthOutcome } from "../../automation/hooks/index.js";
import type { ClusterHopAuth } from "../../cluster/index.js";
import type { OpenClawConfig } from "../../config/index.js";
import { OpenClawError } from "../../errors.js";
import type { Logger } from "../../logging/index.js";
import { isLoopbackAddress } from "../client-address.js";
import type { GatewaySecurity } from "../gateway-security.js";
import { sendHttpError } from "../routes/http-errors.js";
import { scopeSatisfied } from "../ws/operator-scopes.js";
import { judgeBrowserOrigin } from "./browser-origin.js";
import { HostAllowList } from "./host-allow-list.js";
import { OPERATOR_READ, type RouteAccess } from "./route-access.js";

export const CAPABILITY_HEADER = "x-openclaw-capability";
export const CAPABILITY_QUERY = "cap";

/** Liveness and readiness answer any Host: container probes name the pod's address, not ours. */
const PROBE_PATHS = new Set(["/health", "/readyz"]);

export interface CapabilityGrant {
  nodeId: string;
  sessionKey: string;
}

declare module "fastify" {
  interface FastifyRequest {
    /** Set on canvas/A2UI requests that carried a valid capability. */
    capability?: CapabilityGrant;
    /** Who the boundary admitted (operator routes). */
    principal?: Principal;
    /** The access rule that let this request through (see `x-openclaw-access`). */
    admittedAs?: RouteAccess["kind"];
  }
}

/** One entry of the route table, as declared: what a test enumerates and attacks. */
export interface DeclaredRoute {
  method: string;
  url: string;
  access: RouteAccess;
  websocketConnect: boolean;
}

export interface HttpBoundaryOptions {
  config(): OpenClawConfig;
  security(): GatewaySecurity;
  logger: Logger;
  /** The address the server is bound to (for the Host allow-list). */
  bindHost: string;
  /** Judges `hook` routes (the hook token); without it they are not served. */
  hooks?: { authenticate(attempt: HookAttempt): HookAuthOutcome | Promise<HookAuthOutcome> };
  /** Judges `cluster` routes (the hop signature); without it (no shared storage) they are not served. */
  cluster?(): ClusterHopAuth | undefined;
}

interface Refusal {
  status: 400 | 401 | 403 | 404 | 421 | 429;
  reason: string;
  message: string;
  retryAfterMs?: number;
  hint?: string;
}

const CODES = {
  400: "OC_ERR_BAD_REQUEST",
  404: "OC_ERR_NOT_FOUND",
  401: "OC_ERR_UNAUTHORIZED",
  403: "OC_ERR_FORBIDDEN",
  421: "OC_ERR_MISDIRECTED",
  429: "OC_ERR_RATE_LIMITED",
} as const;

function pathOf(url: string): string {
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}

/**
 * Whether Node delivered this request through its `upgrade` event (Connection: upgrade and an
 * Upgrade header, parsed by Node itself). An `Upgrade` header alone is just a header: Node serves
 * such a request as a plain one, and so must the boundary. `upgrade` is set by Node's HTTP parser
 * on every IncomingMessage; @types/node does not declare it.
 */
function isRealUpgrade(request: FastifyRequest): boolean {
  return (request.raw as { upgrade?: unknown }).upgrade === true;
}

function capabilityOf(request: FastifyRequest): string | undefined {
  const header = request.headers[CAPABILITY_HEADER];
  if (typeof header === "string" && header.trim()) return header.trim();
  const query = request.query as Record<string, unknown> | undefined;
  const value = query?.[CAPABILITY_QUERY];
  return typeof value === "string" && value ? value : undefined;
}

/**
 * The HTTP side of the auth boundary, safe by default: a route that declares no access cannot
 * be registered, a request whose route has none (or that matches no route) is judged as an
 * operator request, and nothing in the request's headers can turn the checks off. Only a request
 * that Node really upgraded (its `upgrade` event, `request.raw.upgrade`) on the route marked
 * `websocketConnect` goes on without HTTP credentials, to the WebSocket handshake whose `connect`
 * authenticates. Returns the route table as declared.
 */
export function registerHttpBoundary(server: FastifyInstance, options: HttpBoundaryOptions): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  server.addHook("onRoute", (route) => {
    const access = route.config?.access;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!access) {
      throw new OpenClawError(
        "OC_ERR_INTERNAL",
        `route ${methods.join(",")} ${route.url} declares no access and would not be served`,
        {
          hint: "register it with withAccess(PUBLIC | OPERATOR_* | capabilityAccess(...)) (src/gateway/access)",
        },
      );
    }
    for (const method of methods) {
      routes.push({
        method,
        url: route.url,
        access,
        websocketConnect: route.config?.websocketConnect === true,
      });
    }
  });

  let hostsFor: OpenClawConfig | undefined;
  let hosts: HostAllowList | undefined;
  const allowList = (config: OpenClawConfig): HostAllowList => {
    if (hosts && hostsFor === config) return hosts;
    hostsFor = config;
    hosts = new HostAllowList({
      bindHost: options.bindHost,
      allowedHosts: config.gateway.allowedHosts,
      allowedOrigins: config.gateway.controlUi.allowedOrigins,
    });
    return hosts;
  };

  const refuse = (reply: FastifyReply, request: FastifyRequest, failure: Refusal) => {
    // Header values are never logged: they are the credentials being refused.
    options.logger.warn(
      { reason: failure.reason, path: pathOf(request.url), client: request.socket.remoteAddress },
      "request refused",
    );
    if (failure.status === 401) reply.header("WWW-Authenticate", 'Bearer realm="openclaw"');
    return sendHttpError(
      reply,
      request,
      new OpenClawError(CODES[failure.status], failure.message, {
        ...(failure.hint ? { hint: failure.hint } : {}),
        details: {
          reason: failure.reason,
          ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
        },
      }),
    );
  };

  server.addHook("onRequest", async (request, reply) => {
    const path = pathOf(request.url);
    // No route matched: the answer (404 or 405 with Allow) says which paths exist, so it is
    // given to operators only.
    const access: RouteAccess | undefined = request.is404
      ? OPERATOR_READ
      : request.routeOptions.config?.access;
    if (access?.kind === "public" && PROBE_PATHS.has(path)) {
      request.admittedAs = "public";
      return;
    }

    if (access?.kind === "cluster") {
      // Before the Host allow-list: a peer addresses this replica by its pod address, and the
      // signature (not a browser's origin) is what proves the request.
      const verdict = options.cluster?.()?.verify(request.headers, request.method, path) ?? {
        ok: false as const,
        reason: "not_clustered",
      };
      if (!verdict.ok) {
        return refuse(reply, request, {
          status: verdict.reason === "not_clustered" ? 404 : 401,
          reason: verdict.reason,
          message:
            verdict.reason === "not_clustered"
              ? "no route here"
              : "the internal hop is not signed by this cluster",
        });
      }
      request.admittedAs = "cluster";
      return;
    }

    const config = options.config();
    if (!allowList(config).allows(request.headers.host)) {
      return refuse(reply, request, {
        status: 421,
        reason: "host_not_allowed",
        message: "this gateway does not answer to the host name in the request",
        hint: "use the gateway's address, or add the name to gateway.allowedHosts",
      });
    }
    if (!access) {
      options.logger.error({ path }, "route without an access declaration reached the boundary");
      return refuse(reply, request, {
        status: 403,
        reason: "no_access_declared",
        message: "this route is not served",
      });
    }

    const browser = judgeBrowserOrigin(request.headers, {
      allowedOrigins: config.gateway.controlUi.allowedOrigins,
    });
    const realUpgrade = isRealUpgrade(request);
    if (realUpgrade && request.routeOptions.config?.websocketConnect === true && !request.is404) {
      if (!browser.ok) {
        return refuse(reply, request, {
          ...browser,
          status: 403,
          hint: "open the Control UI from the gateway's own address, or add the page's origin to gateway.controlUi.allowedOrigins",
        });
      }
      request.admittedAs = access.kind;
      return;
    }
    if (access.kind === "public" || (access.kind === "metrics" && config.metrics.public)) {
      request.admittedAs = "public";
      return;
    }
    if (!browser.ok) {
      return refuse(reply, request, {
        ...browser,
        status: 403,
        hint: "add the page's origin to gateway.controlUi.allowedOrigins",
      });
    }

    if (access.kind === "hook") {
      // The hook token and nothing else: the gateway's authenticator is not asked, so neither
      // its token nor the local CLI token nor a trusted proxy's word opens a hook route.
      const query = request.url.indexOf("?");
      const outcome: HookAuthOutcome = (await options.hooks?.authenticate({
        socketAddress: request.socket.remoteAddress ?? "",
        headers: request.headers,
        query: query === -1 ? "" : request.url.slice(query + 1),
      })) ?? { ok: false, status: 404, reason: "hooks_disabled", message: "no route here" };
      if (!outcome.ok) return refuse(reply, request, outcome);
      request.admittedAs = "hook";
      return;
    }

    const security = options.security();
    const attempt = { socketAddress: request.socket.remoteAddress ?? "", headers: request.headers };
    if (access.kind === "capability") {
      // Behind a trusted proxy, the proxy's checks hold for these URLs too (the seed's 401
      // without X-Forwarded-For); the capability is needed on top, never instead.
      if (security.auth.mode === "trusted-proxy") {
        const outcome = await security.auth.authenticate(attempt);
        if (!outcome.ok) return refuse(reply, request, outcome);
      }
      const verdict = security.capabilities.verify(capabilityOf(request) ?? "", access.surface);
      if (!verdict.ok) {
        return refuse(reply, request, {
          status: 401,
          reason: `capability_${verdict.reason}`,
          message: `this URL needs a valid capability issued to a node (${verdict.reason})`,
          hint: "a paired node gets one over the WebSocket with node.capability",
        });
      }
      request.capability = { nodeId: verdict.nodeId, sessionKey: verdict.sessionKey };
      request.admittedAs = access.kind;
      return;
    }

    const outcome = await security.auth.authenticate(attempt);
    if (!outcome.ok) return refuse(reply, request, outcome);
    if (outcome.principal.via === "none" && !isLoopbackAddress(request.socket.remoteAddress)) {
      return refuse(reply, request, {
        status: 403,
        reason: "loopback_only",
        message: 'auth mode "none" serves loopback clients only',
      });
    }
    // An HTTP credential is the gateway's own shared secret: it holds every operator scope.
    const granted = new Set(["operator.admin"]);
    const scopes = access.kind === "operator" ? access.scopes : [];
    for (const scope of scopes) {
      if (!scopeSatisfied(scope, granted)) {
        return refuse(reply, request, {
          status: 403,
          reason: "missing_scope",
          message: `missing scope: ${scope}`,
        });
      }
    }
    request.principal = outcome.principal;
    request.admittedAs = access.kind;
  });

  // A handler is only ever reached through the hook above; this is the belt to its braces.
  // Callback style: an async hook costs a promise per request on a path that runs thousands of
  // times a second.
  server.addHook("preHandler", (request, reply, done) => {
    if (request.admittedAs !== undefined) return done();
    options.logger.error({ path: pathOf(request.url) }, "request reached a handler unadmitted");
    refuse(reply, request, { status: 403, reason: "not_admitted", message: "this route is not served" });
  });

  // A refused upgrade was answered on the raw socket before (or instead of) the WebSocket
  // handshake: nothing else will close it, and a client that never hangs up would hold the fd.
  server.addHook("onResponse", (request, _reply, done) => {
    if (isRealUpgrade(request) && !request.raw.socket.destroyed) request.raw.socket.destroy();
    done();
  });

  // Security headers on every answer; the UI gets its CSP where it is served.
  server.addHook("onSend", (request, reply, payload, done) => {
    // Which rule let the request in ("public", "operator", ...): for operators and proxies
    // debugging a refusal, and what the attacker-side tests read to prove no request without
    // credentials reached anything but a public handler.
    if (request.admittedAs) reply.header("x-openclaw-access", request.admittedAs);
    reply.header("X-Content-Type-Options", "nosniff");
    reply.header("Referrer-Policy", "no-referrer");
    reply.header("X-Frame-Options", "DENY");
    if (!reply.hasHeader("Content-Security-Policy")) {
      // The UI's own files set theirs (see ui-routes); everything else is data, never a page.
      reply.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }
    done(null, payload);
  });
  return routes;
}
