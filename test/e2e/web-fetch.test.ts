import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chat } from "./chat-http.js";
import { useGateway } from "./harness.js";

/**
 * web_fetch through the real gateway. The test's servers are on loopback, so the gateway reaches
 * them only by the names `allowedHostnames` lists (mapped to 127.0.0.1 by the test-only resolver,
 * OPENCLAW_TEST_WEB_FETCH_HOSTS); every other way to loopback must be refused before connecting.
 */

const ARTICLE = `<!doctype html><html><head><title>Lighthouse Keeping</title></head><body>
<nav><a href="/">Home</a></nav><article><h1>Lighthouse Keeping</h1>
<p>A keeper trimmed the wick every evening and wound the clockwork that turned the lens, through the night,
so that ships passing the headland could count the flashes and know exactly which light they were seeing.</p>
<h2>The last keepers</h2><p>Automation arrived in the late twentieth century, and with it the end of a job that had
kept families on remote rocks for generations; the lights still turn, but nobody climbs the stairs at dusk.</p>
</article></body></html>`;

interface Site {
  server: Server;
  port: number;
  /** Connections accepted: a refused fetch must leave this at zero. */
  connections: number;
  requests: string[];
  bigBodyWritten: number;
  bigBodyClosedEarly: boolean;
}

async function startSite(
  host: string,
  handle?: (site: Site) => Parameters<typeof createServer>[1],
): Promise<Site> {
  const site = {
    connections: 0,
    requests: [],
    bigBodyWritten: 0,
    bigBodyClosedEarly: false,
  } as unknown as Site;
  site.server = createServer(handle?.(site) ?? ((_request, response) => response.end("victim")));
  site.server.on("connection", () => site.connections++);
  await new Promise<void>((resolve) => site.server.listen(0, host, resolve));
  site.port = (site.server.address() as AddressInfo).port;
  return site;
}

const FIFTY_MB = 50 * 1024 * 1024;
let site: Site;
let victim: Site;
let victim6: Site;

beforeAll(async () => {
  victim = await startSite("127.0.0.1");
  victim6 = await startSite("::1");
  site = await startSite("127.0.0.1", (self) => async (request, response) => {
    self.requests.push(request.url ?? "");
    const hop = /^\/hop\/(\d+)$/.exec(request.url ?? "");
    if (request.url === "/article") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(ARTICLE);
    } else if (hop) {
      const left = Number(hop[1]);
      response.writeHead(302, { location: left === 0 ? "/article" : `/hop/${left - 1}` }).end();
    } else if (request.url === "/to-loopback") {
      response.writeHead(302, { location: `http://127.0.0.1:${victim.port}/` }).end();
    } else if (request.url === "/big") {
      // Streams 50 MB, honouring backpressure, and notes whether the reader hung up first.
      response.writeHead(200, { "content-type": "text/plain" });
      response.on("close", () => {
        if (self.bigBodyWritten < FIFTY_MB) self.bigBodyClosedEarly = true;
      });
      const chunk = Buffer.alloc(64 * 1024, "a");
      while (self.bigBodyWritten < FIFTY_MB && !response.destroyed) {
        self.bigBodyWritten += chunk.length;
        if (!response.write(chunk)) {
          await new Promise((resolve) => {
            response.once("drain", resolve);
            response.once("close", resolve);
          });
        }
      }
      response.end();
    } else {
      response.writeHead(404).end();
    }
  });
});
afterAll(async () => {
  for (const each of [site, victim, victim6]) {
    each?.server.closeAllConnections();
    await new Promise<void>((resolve) => (each ? each.server.close(() => resolve()) : resolve()));
  }
});

describe("web_fetch", () => {
  const running = useGateway(
    {
      tools: {
        web: { fetch: { maxResponseBytes: 100_000, ssrfPolicy: { allowedHostnames: ["site.test"] } } },
      },
    },
    (home) => {
      home.env.OPENCLAW_TEST_WEB_FETCH_HOSTS = "site.test=127.0.0.1,evil.test=127.0.0.1";
    },
  );
  const siteUrl = (path: string) => `http://site.test:${site.port}${path}`;
  const webFetch = async (input: Record<string, unknown>) =>
    (await chat(running.url, "main", `/tool web_fetch ${JSON.stringify(input)}`, 30_000)).text ?? "";
  const resultOf = (reply: string) => {
    const match = /^Tool web_fetch returned: ([\s\S]*)$/.exec(reply);
    if (!match) throw new Error(`web_fetch did not return: ${reply}`);
    return JSON.parse(match[1] as string) as Record<string, unknown>;
  };

  it("returns an article as Markdown with its title, marked as untrusted", async () => {
    const result = resultOf(await webFetch({ url: siteUrl("/article") }));
    expect(result).toMatchObject({
      title: "Lighthouse Keeping",
      finalUrl: siteUrl("/article"),
      contentType: "text/html; charset=utf-8",
      externalContent: true,
      truncated: false,
    });
    expect(result.text).toMatch(/## The last keepers/);
    expect(result.text).toMatch(/^<<<EXTERNAL_UNTRUSTED_CONTENT>>>/);
    expect(result.text).not.toContain("<p>");
  });

  it("follows redirects up to maxRedirects (3) and stops a longer chain", async () => {
    const followed = resultOf(await webFetch({ url: siteUrl("/hop/2") }));
    expect(followed.finalUrl).toBe(siteUrl("/article"));
    site.requests.length = 0;
    const stopped = await webFetch({ url: siteUrl("/hop/6") });
    expect(stopped).toMatch(/^Tool web_fetch failed: .*more than 3 redirects/);
    expect(site.requests).toEqual(["/hop/6", "/hop/5", "/hop/4", "/hop/3"]);
  });

  it("cuts a 50 MB body at maxResponseBytes and stops reading it", async () => {
    const result = resultOf(await webFetch({ url: siteUrl("/big"), maxChars: 500 }));
    expect(result.truncated).toBe(true);
    // The gateway hung up: the server was stopped by backpressure long before 50 MB.
    await expect.poll(() => site.bigBodyClosedEarly, { timeout: 5000 }).toBe(true);
    expect(site.bigBodyWritten).toBeLessThan(10 * 1024 * 1024);
  });

  it("refuses loopback, metadata and names or redirects leading there before connecting", async () => {
    victim.connections = 0;
    victim6.connections = 0;
    const refusals = [
      [`http://127.0.0.1:${victim.port}/`, /127\.0\.0\.1.*loopback/],
      [`http://[::1]:${victim6.port}/`, /::1.*loopback/],
      [`http://[::ffff:127.0.0.1]:${victim.port}/`, /loopback/],
      ["http://169.254.169.254/latest/meta-data/", /169\.254\.169\.254.*link-local/],
      [`http://evil.test:${victim.port}/`, /evil\.test: it resolves to 127\.0\.0\.1/],
      [siteUrl("/to-loopback"), /127\.0\.0\.1.*loopback/],
    ] as const;
    for (const [url, reason] of refusals) {
      const reply = await webFetch({ url });
      expect(reply, url).toMatch(/^Tool web_fetch failed: web_fetch refused /);
      expect(reply, url).toMatch(reason);
    }
    expect(victim.connections).toBe(0);
    expect(victim6.connections).toBe(0);
  });
});
