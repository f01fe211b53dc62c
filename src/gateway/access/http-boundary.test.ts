import Fastify from "fastify";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { OpenClawConfig } from "../../config/index.js";
import { ConfigSchema } from "../../config/index.js";
import type { GatewaySecurity } from "../gateway-security.js";
import { type HttpBoundaryOptions, registerHttpBoundary } from "./http-boundary.js";
import { HOOK, PUBLIC, withAccess } from "./route-access.js";

function serverWithBoundary(hooks?: HttpBoundaryOptions["hooks"]) {
  const server = Fastify();
  const config: OpenClawConfig = ConfigSchema.parse({});
  let securityRead = 0;
  const routes = registerHttpBoundary(server, {
    config: () => config,
    security: () => {
      securityRead += 1;
      return {} as GatewaySecurity;
    },
    logger: pino({ level: "silent" }),
    bindHost: "127.0.0.1",
    ...(hooks ? { hooks } : {}),
  });
  return { server, routes, securityRead: () => securityRead };
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

  it("judges a hook route by the hook authenticator alone, never the gateway's", async () => {
    const { server, securityRead } = serverWithBoundary({
      authenticate: (attempt) =>
        attempt.headers["x-openclaw-token"] === "hook-secret"
          ? { ok: true }
          : { ok: false, status: 401, reason: "invalid_token", message: "no" },
    });
    server.post("/hooks/agent", withAccess(HOOK), async () => ({ ran: true }));
    await server.ready();
    const post = (headers: Record<string, string>) =>
      server.inject({ method: "POST", url: "/hooks/agent", headers: { host: "127.0.0.1", ...headers } });
    const admitted = await post({ "x-openclaw-token": "hook-secret" });
    expect(admitted.statusCode).toBe(200);
    expect(admitted.headers["x-openclaw-access"]).toBe("hook");
    const refused = await post({ authorization: "Bearer gateway-token" });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: { reason: "invalid_token" } });
    expect(securityRead()).toBe(0);
    await server.close();
  });

  it("does not serve a hook route without a hook authenticator", async () => {
    const { server } = serverWithBoundary();
    server.post("/hooks/agent", withAccess(HOOK), async () => ({ ran: true }));
    await server.ready();
    const answer = await server.inject({
      method: "POST",
      url: "/hooks/agent",
      headers: { host: "127.0.0.1" },
    });
    expect(answer.statusCode).toBe(404);
    await server.close();
  });
});
