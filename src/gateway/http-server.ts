import type { Socket } from "node:net";
import websocket from "@fastify/websocket";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import {
  type DeclaredRoute,
  type HttpBoundaryOptions,
  registerHttpBoundary,
} from "./access/http-boundary.js";
import { PUBLIC, withAccess } from "./access/route-access.js";
import { NO_ROUTE_SCHEMAS } from "./no-route-schemas.js";
import { registerAgentControlRoutes } from "./routes/agent-control-routes.js";
import { type CanvasRouteDeps, registerCanvasRoutes } from "./routes/canvas-routes.js";
import { type ChannelRouteDeps, registerChannelRoutes } from "./routes/channel-routes.js";
import { type ClusterRouteDeps, registerClusterRoutes } from "./routes/cluster-routes.js";
import { type ConfigRouteDeps, registerConfigRoutes } from "./routes/config-routes.js";
import { registerCronRoutes } from "./routes/cron-routes.js";
import { type HealthRouteDeps, registerHealthRoutes } from "./routes/health-routes.js";
import { type HookRouteDeps, registerHookRoutes } from "./routes/hook-routes.js";
import { sendHttpError } from "./routes/http-errors.js";
import { type McpRouteDeps, registerMcpRoutes } from "./routes/mcp-routes.js";
import { type MemoryRouteDeps, registerMemoryRoutes } from "./routes/memory-routes.js";
import { type MetricsRouteDeps, registerMetricsRoutes } from "./routes/metrics-routes.js";
import { registerModelCatalogRoutes } from "./routes/model-catalog-routes.js";
import { registerNodeRoutes } from "./routes/node-routes.js";
import { type OpenAiChatDeps, registerOpenAiChatRoutes } from "./routes/openai-chat-routes.js";
import {
  type EmbeddingsRouteDeps,
  registerOpenAiEmbeddingsRoutes,
} from "./routes/openai-embeddings-routes.js";
import { type ModelsRouteDeps, registerOpenAiModelsRoutes } from "./routes/openai-models-routes.js";
import { type OpenAiResponsesDeps, registerOpenAiResponsesRoutes } from "./routes/openai-responses-routes.js";
import { registerRouteTableRoutes } from "./routes/route-table-routes.js";
import { registerSecretsRoutes, type SecretsRouteDeps } from "./routes/secrets-routes.js";
import { registerSessionRoutes, type SessionRouteDeps } from "./routes/session-routes.js";
import { registerStatusRoutes } from "./routes/status-routes.js";
import { registerToolsInvokeRoutes, type ToolsInvokeDeps } from "./routes/tools-invoke-routes.js";
import { registerUiRoutes, sendUiIndex, uiAvailable } from "./routes/ui-routes.js";
import { registerUsageRoutes, type UsageRouteDeps } from "./routes/usage-routes.js";
import { MAX_PAYLOAD_BYTES } from "./ws/frames.js";
import { type ConnectionDeps, GatewayConnection } from "./ws/ws-connection.js";

export interface HttpServer {
  server: FastifyInstance;
  connections: Set<GatewayConnection>;
  /** Every route with its declared access (see src/gateway/access). */
  routes: readonly DeclaredRoute[];
  /**
   * Destroys every socket still open: idle keep-alives, requests still sending their headers,
   * upgrades in progress and WebSocket peers that never answered the close frame. Shutdown
   * calls it once the drain time is up, so no client can hold the process open.
   */
  destroySockets(): number;
}

/** Answers 405 (with Allow) for a known path and a wrong method, 404 otherwise. */
function methodAwareNotFound(server: FastifyInstance): void {
  const methodsByPath = new Map<string, Set<string>>();
  server.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const known = methodsByPath.get(route.url) ?? new Set<string>();
    for (const method of methods) known.add(method);
    methodsByPath.set(route.url, known);
  });
  server.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    const allowed = methodsByPath.get(path);
    if (allowed) {
      reply.header("Allow", [...allowed].filter((method) => method !== "HEAD").join(", "));
      return sendHttpError(
        reply,
        request,
        new OpenClawError("OC_ERR_METHOD_NOT_ALLOWED", `${request.method} is not allowed on ${path}`, {
          hint: `use ${[...allowed].join(" or ")}`,
        }),
      );
    }
    return sendHttpError(
      reply,
      request,
      new OpenClawError("OC_ERR_NOT_FOUND", `no route for ${request.method} ${path}`),
    );
  });
}

/** Everything the HTTP and WebSocket server serves, each route family with only its own deps. */
export interface HttpServerDeps {
  version: string;
  logger: Logger;
  /** The address the server is bound to (the Host allow-list). */
  bindHost: string;
  tls?: { cert: string; key: string };
  maxBodyBytes: number;
  boundary: Pick<HttpBoundaryOptions, "config" | "security" | "hooks" | "cluster">;
  /** The last line of defence: every answer passes it. */
  redactor: { redact(text: string): string };
  httpMetrics: OpenAiChatDeps["httpMetrics"];
  /** What each WebSocket connection is given. */
  connection: ConnectionDeps;
  routes: {
    metrics: MetricsRouteDeps;
    health: HealthRouteDeps;
    status: Parameters<typeof registerStatusRoutes>[1];
    agentControl: Parameters<typeof registerAgentControlRoutes>[1];
    secrets: SecretsRouteDeps;
    sessions: SessionRouteDeps;
    config: ConfigRouteDeps;
    canvas: CanvasRouteDeps;
    nodes: Parameters<typeof registerNodeRoutes>[1];
    memory: MemoryRouteDeps;
    usage: UsageRouteDeps;
    models: ModelsRouteDeps;
    modelCatalog: Parameters<typeof registerModelCatalogRoutes>[1];
    openAiChat: OpenAiChatDeps;
    toolsInvoke: ToolsInvokeDeps;
    embeddings: EmbeddingsRouteDeps;
    responses: OpenAiResponsesDeps;
    channels: ChannelRouteDeps;
    hooks: HookRouteDeps;
    mcp: McpRouteDeps;
    cluster: ClusterRouteDeps;
    cron: Parameters<typeof registerCronRoutes>[1];
  };
}

export async function buildHttpServer(deps: HttpServerDeps): Promise<HttpServer> {
  const { tls } = deps;
  // Fastify types an HTTPS instance differently; routes and hooks are the same for both.
  const server = Fastify({
    ...(tls ? { https: { cert: tls.cert, key: tls.key } } : {}),
    // pino's Logger is a FastifyBaseLogger; the cast only widens the instance's generic.
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Turns are logged by the chat service with agent/session/turn ids; per-request lines are noise.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.maxBodyBytes,
    // Agent turns can legitimately take minutes; keep-alive and request timeouts stay generous.
    requestTimeout: 0,
    forceCloseConnections: true,
    return503OnClosing: true,
    schemaController: NO_ROUTE_SCHEMAS,
  }) as unknown as FastifyInstance;
  const connections = new Set<GatewayConnection>();
  const sockets = new Set<Socket>();
  server.server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  methodAwareNotFound(server);
  server.setErrorHandler((error, request, reply) => sendHttpError(reply, request, error));
  const routes = registerHttpBoundary(server, {
    ...deps.boundary,
    logger: deps.logger,
    bindHost: deps.bindHost,
  });
  registerMetricsRoutes(server, deps.routes.metrics);
  // The last line of defence: whatever a route answers, no credential value leaves in it.
  // One callback hook for both (no promise, no response listeners per request): the chat path runs
  // at ~10 000 requests/s. Requests are counted as their answer is handed over; streams that
  // bypass the reply count themselves when they end (see openai-chat-routes).
  const http = deps.httpMetrics;
  server.addHook("onSend", (request, reply, payload, done) => {
    http.record(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime);
    done(null, typeof payload === "string" ? deps.redactor.redact(payload) : payload);
  });
  await server.register(websocket, { options: { maxPayload: MAX_PAYLOAD_BYTES } });
  server.route({
    method: "GET",
    url: "/",
    // The page is public; a real upgrade here is the WebSocket, whose `connect` authenticates.
    ...withAccess(PUBLIC, { websocket: true }),
    handler: async (_request, reply) =>
      uiAvailable()
        ? sendUiIndex(reply)
        : reply
            .type("text/plain; charset=utf-8")
            .send(
              `OpenClaw gateway ${deps.version}\nControl UI not built (npm run build:ui)\nStatus: /__openclaw__/status\n`,
            ),
    wsHandler: (socket, request) => {
      const connection = new GatewayConnection(
        socket,
        deps.connection,
        request.socket.remoteAddress ?? "",
        request.headers,
      );
      connections.add(connection);
      socket.on("close", () => connections.delete(connection));
    },
  });
  registerHealthRoutes(server, deps.routes.health);
  registerStatusRoutes(server, deps.routes.status);
  registerAgentControlRoutes(server, deps.routes.agentControl);
  registerSecretsRoutes(server, deps.routes.secrets);
  registerSessionRoutes(server, deps.routes.sessions);
  registerConfigRoutes(server, deps.routes.config);
  registerCanvasRoutes(server, deps.routes.canvas);
  registerUiRoutes(server);
  registerNodeRoutes(server, deps.routes.nodes);
  registerMemoryRoutes(server, deps.routes.memory);
  registerUsageRoutes(server, deps.routes.usage);
  registerChannelRoutes(server, deps.routes.channels);
  registerCronRoutes(server, deps.routes.cron);
  registerOpenAiModelsRoutes(server, deps.routes.models);
  registerModelCatalogRoutes(server, deps.routes.modelCatalog);
  registerOpenAiChatRoutes(server, deps.routes.openAiChat);
  registerToolsInvokeRoutes(server, deps.routes.toolsInvoke);
  registerOpenAiEmbeddingsRoutes(server, deps.routes.embeddings);
  registerOpenAiResponsesRoutes(server, deps.routes.responses);
  registerHookRoutes(server, deps.routes.hooks);
  registerMcpRoutes(server, deps.routes.mcp);
  registerClusterRoutes(server, deps.routes.cluster);
  registerRouteTableRoutes(server, routes);
  return {
    server,
    connections,
    routes,
    destroySockets: () => {
      const count = sockets.size;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      return count;
    },
  };
}
