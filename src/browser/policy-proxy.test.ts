import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolicyProxy } from "./policy-proxy.js";

const seen: string[] = [];
let site: Server;
let sitePort = 0;
let proxy: PolicyProxy;
let proxyPort = 0;

beforeAll(async () => {
  site = createServer((incoming, response) => {
    seen.push(`${incoming.headers.host} ${incoming.url}`);
    response.end("site");
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  sitePort = (site.address() as AddressInfo).port;
  // "rebind.example" resolves to loopback: a public-looking name must not reach the site.
  proxy = new PolicyProxy(
    () => ({ allowedHostnames: ["127.0.0.1"] }),
    async (hostname) => (hostname === "rebind.example" ? ["127.0.0.1"] : ["93.184.216.34"]),
  );
  proxyPort = Number(new URL(await proxy.start()).port);
});

afterAll(async () => {
  await proxy.stop();
  await new Promise<void>((resolve) => site.close(() => resolve()));
});

function viaProxy(options: { method?: string; path: string }) {
  // A browser sends the target's Host (Node would send the proxy's).
  const host = options.method === "CONNECT" ? options.path : new URL(options.path).host;
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const outgoing = request({
      host: "127.0.0.1",
      port: proxyPort,
      method: options.method ?? "GET",
      path: options.path,
      headers: { host },
    });
    outgoing.on("response", (response) => {
      let body = "";
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on("connect", (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, body: "" });
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

describe("browser policy proxy", () => {
  it("forwards an allowed host, keeping its Host header", async () => {
    const answer = await viaProxy({ path: `http://127.0.0.1:${sitePort}/page?x=1` });
    expect(answer).toEqual({ status: 200, body: "site" });
    expect(seen).toContain(`127.0.0.1:${sitePort} /page?x=1`);
  });

  it("refuses a name that resolves to loopback before any byte reaches it", async () => {
    const before = seen.length;
    const answer = await viaProxy({ path: `http://rebind.example:${sitePort}/secret` });
    expect(answer.status).toBe(403);
    expect(answer.body).toContain("rebind.example resolves to 127.0.0.1");
    expect(seen.length).toBe(before);
  });

  it("checks HTTPS tunnels the same way", async () => {
    expect((await viaProxy({ method: "CONNECT", path: "rebind.example:443" })).status).toBe(403);
    expect((await viaProxy({ method: "CONNECT", path: "169.254.169.254:443" })).status).toBe(403);
    expect((await viaProxy({ method: "CONNECT", path: `127.0.0.1:${sitePort}` })).status).toBe(200);
  });
});
