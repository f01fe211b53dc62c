import Fastify from "fastify";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { OpenClawConfig } from "../../config/index.js";
import { ConfigSchema } from "../../config/index.js";
import type { GatewaySecurity } from "../gateway-security.js";
import { registerHttpBoundary } from "./http-boundary.js";
import { PUBLIC, withAccess } from "./route-access.js";

function serverWithBoundary() {
  const server = Fastify();
  const config: OpenClawConfig = ConfigSchema.parse({});
  const routes = registerHttpBoundary(server, {
    config: () => config,
    security: () => ({}) as GatewaySecurity,
    logger: pino({ level: "silent" }),
    bindHost: "127.0.0.1",
  });
  return { server, routes };
}

describe("registerHttpBoundary", () => {
  it("refuses to register a route that declares no access", async () => {
    const { server } = serverWithBoundary();
    expect(() => server.get("/forgot", async () => "served")).toThrow(/declares no access/);
    await server.close();
  });

  it("records every declared route, HEAD included", async () => {
    const { server, routes } = serverWithBoundary();
    server.get("/open", withAccess(PUBLIC), async () => "open");
    await server.ready();
    expect(routes.map((route) => `${route.method} ${route.url} ${route.access.kind}`)).toEqual([
      "GET /open public",
      "HEAD /open public",
    ]);
    const answer = await server.inject({ url: "/open", headers: { host: "127.0.0.1" } });
    expect(answer.headers["x-openclaw-access"]).toBe("public");
    await server.close();
  });
});
