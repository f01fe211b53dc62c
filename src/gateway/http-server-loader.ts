let loading: Promise<typeof import("./http-server.js")> | undefined;

/**
 * fastify, its plugins and the routes: ≈ 330 modules, a third of what the gateway's thread
 * loads before ready. They are imported once the agent threads have been spawned (see
 * agentsPart), so that they load on this thread while the agents load on theirs, instead of
 * before either.
 */
export function loadHttpServer(): Promise<typeof import("./http-server.js")> {
  loading ??= import("./http-server.js");
  return loading;
}
