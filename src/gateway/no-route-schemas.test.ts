import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { NO_ROUTE_SCHEMAS } from "./no-route-schemas.js";

describe("NO_ROUTE_SCHEMAS", () => {
  it("serves routes without a schema, bodies included", async () => {
    const server = Fastify({ schemaController: NO_ROUTE_SCHEMAS });
    server.post("/echo", async (request) => ({ got: request.body }));
    try {
      const response = await server.inject({ method: "POST", url: "/echo", payload: { a: 1 } });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ got: { a: 1 } });
    } finally {
      await server.close();
    }
  });

  it.each([
    ["body", { body: { type: "object" } }, "validation"],
    ["querystring", { querystring: { type: "object" } }, "validation"],
    ["response", { response: { 200: { type: "object" } } }, "response"],
  ])("fails the server when a route declares a %s schema", async (_part, schema, kind) => {
    const server = Fastify({ schemaController: NO_ROUTE_SCHEMAS });
    server.post("/typed", { schema }, async () => ({}));
    await expect(server.ready()).rejects.toThrow(`a route declares a Fastify ${kind} schema`);
    await server.close().catch(() => undefined);
  });
});
