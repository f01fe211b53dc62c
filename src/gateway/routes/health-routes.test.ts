import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { registerHealthRoutes } from "./health-routes.js";

function server(reachable: () => Promise<boolean>) {
  const app = Fastify();
  registerHealthRoutes(app, {
    isShuttingDown: () => false,
    stateDir: { snapshot: () => ({ writable: true }) },
    anyAgentReady: () => true,
    storageReachable: reachable,
  });
  return app;
}

describe("/readyz and the storage", () => {
  it("is ready while the storage answers", async () => {
    const response = await server(async () => true).inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(200);
  });

  it("is not ready while the storage is unreachable (or its probe throws); /health stays up", async () => {
    for (const reachable of [async () => false, async () => Promise.reject(new Error("ECONNREFUSED"))]) {
      const app = server(reachable);
      const response = await app.inject({ method: "GET", url: "/readyz" });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({ ready: false, reason: "storage unreachable" });
      expect((await app.inject({ method: "GET", url: "/health" })).statusCode).toBe(200);
    }
  });
});
