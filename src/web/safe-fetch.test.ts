import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SafeFetchOptions, safeFetch } from "./safe-fetch.js";

let server: Server;
let base: string;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(`${request.headers.host} ${request.url}`);
    const hop = /^\/hop\/(\d+)$/.exec(request.url ?? "");
    if (hop) {
      const left = Number(hop[1]);
      response.writeHead(302, { location: left === 0 ? "/done" : `/hop/${left - 1}` }).end();
    } else if (request.url === "/to-metadata") {
      response.writeHead(301, { location: "http://169.254.169.254/latest/meta-data/" }).end();
    } else if (request.url === "/to-named") {
      response
        .writeHead(307, { location: `http://rebound.test:${(server.address() as AddressInfo).port}/done` })
        .end();
    } else {
      response.writeHead(200, { "content-type": "text/plain" }).end(`done ${request.headers.host}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const options = (overrides: Partial<SafeFetchOptions> = {}): SafeFetchOptions => ({
  policy: { allowedHostnames: ["127.0.0.1"] },
  resolve: async () => {
    throw new Error("no DNS in this test");
  },
  maxRedirects: 3,
  maxResponseBytes: 1000,
  timeoutSeconds: 5,
  headers: {},
  ...overrides,
});

describe("safeFetch redirects", () => {
  it("follows up to maxRedirects and reports the final URL", async () => {
    const page = await safeFetch(`${base}/hop/2`, options());
    expect(page.finalUrl).toBe(`${base}/done`);
    expect(page.body.toString()).toContain("done");
  });

  it("stops a chain longer than maxRedirects without requesting the hop past it", async () => {
    seen.length = 0;
    await expect(safeFetch(`${base}/hop/5`, options())).rejects.toThrow(/more than 3 redirects/);
    expect(seen.map((line) => line.split(" ")[1])).toEqual(["/hop/5", "/hop/4", "/hop/3", "/hop/2"]);
  });

  it("refuses a redirect to the metadata address", async () => {
    await expect(safeFetch(`${base}/to-metadata`, options())).rejects.toMatchObject({
      code: "OC_ERR_EGRESS_DENIED",
    });
  });

  it("re-checks a redirect to a name, which resolves to loopback and is not allowed", async () => {
    seen.length = 0;
    const resolve = async () => ["127.0.0.1"];
    await expect(safeFetch(`${base}/to-named`, options({ resolve }))).rejects.toThrow(
      /rebound\.test.*loopback/,
    );
    expect(seen).toHaveLength(1);
  });

  it("connects to the checked address and keeps the name in Host", async () => {
    let calls = 0;
    // A resolver that answers differently the second time: the request must not ask it again.
    const resolve = async () => (calls++ === 0 ? ["127.0.0.1"] : ["10.0.0.1"]);
    const port = (server.address() as AddressInfo).port;
    const page = await safeFetch(
      `http://pinned.test:${port}/done`,
      options({ resolve, policy: { allowedHostnames: ["pinned.test"] } }),
    );
    expect(page.body.toString()).toBe(`done pinned.test:${port}`);
    expect(calls).toBe(1);
  });

  it("refuses non-http schemes and credentials in the URL", async () => {
    await expect(safeFetch("file:///etc/passwd", options())).rejects.toThrow(/http\(s\) only/);
    await expect(safeFetch(`http://user:pw@127.0.0.1/`, options())).rejects.toThrow(/credentials/);
  });
});
