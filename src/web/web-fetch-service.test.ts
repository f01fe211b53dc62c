import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebFetchConfig } from "../config/schema/tools-web.js";
import { type WebFetchResult, webFetchService } from "./web-fetch-service.js";

let server: Server;
let base: string;
let hits = 0;

beforeAll(async () => {
  server = createServer((_request, response) => {
    hits++;
    response.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(50_000));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const serviceWith = (config: WebFetchConfig) => {
  const handler = webFetchService({ config: () => config });
  return (input: unknown, operation = "fetch") =>
    handler({
      agentId: "main",
      operation,
      input,
      signal: new AbortController().signal,
    }) as Promise<WebFetchResult>;
};
const allowLoopback = { ssrfPolicy: { allowedHostnames: ["127.0.0.1"] } };

describe("webFetchService", () => {
  it("clamps maxChars to maxCharsCap and marks the result truncated", async () => {
    const call = serviceWith({ ...allowLoopback, maxCharsCap: 1000, cacheTtlMinutes: 0 });
    const result = await call({ url: `${base}/a`, maxChars: 5000 });
    expect(result.truncated).toBe(true);
    expect(result.text.match(/x{100,}/)?.[0]).toHaveLength(1000);
  });

  it("answers a repeated fetch from its cache, and not when cacheTtlMinutes is 0", async () => {
    const cached = serviceWith({ ...allowLoopback });
    hits = 0;
    await cached({ url: `${base}/c` });
    const again = await cached({ url: `${base}/c` });
    expect(again.cached).toBe(true);
    expect(hits).toBe(1);
    const uncached = serviceWith({ ...allowLoopback, cacheTtlMinutes: 0 });
    await uncached({ url: `${base}/c` });
    await uncached({ url: `${base}/c` });
    expect(hits).toBe(3);
  });

  it("refuses when disabled, on bad input and on an unknown operation", async () => {
    await expect(serviceWith({ enabled: false })({ url: base })).rejects.toThrow(/disabled/);
    await expect(serviceWith({})({ url: 42 })).rejects.toThrow(/string `url`/);
    await expect(serviceWith({})({ url: base }, "post")).rejects.toThrow(/no operation post/);
  });

  it("refuses loopback under the default policy", async () => {
    hits = 0;
    await expect(serviceWith({})({ url: `${base}/d` })).rejects.toMatchObject({
      code: "OC_ERR_EGRESS_DENIED",
    });
    expect(hits).toBe(0);
  });
});
