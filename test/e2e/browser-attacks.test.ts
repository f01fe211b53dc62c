import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentStatus } from "./chat-http.js";
import { launchChromium } from "./chromium.js";
import { useGateway, waitFor } from "./harness.js";

/**
 * Finding 4 of the attack pass, in a real browser: with auth mode "none" on loopback, a page of
 * another site killed an agent with a `no-cors` POST, and a DNS-rebound name ran a tool. Each
 * attack here is a page Chromium loads; the gateway must refuse what the page sends.
 */

const FLAGS = [
  // The rebinding attacker's name now resolves to this machine, as its DNS answer would.
  "--host-resolver-rules=MAP rebind.attacker.example 127.0.0.1",
  // Chromium's own private-network checks would stop some of these requests before they reach
  // the gateway; Firefox and Safari have none, so the gateway must not rely on them.
  "--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults,BlockInsecurePrivateNetworkRequests",
];

function attackerSite(page: string): Promise<{ server: Server; url: string }> {
  return new Promise((resolve) => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" }).end(page);
    });
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({
        server,
        url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`,
      });
    });
  });
}

describe("browser attacks on a gateway with auth none", () => {
  const running = useGateway({ gateway: { auth: { mode: "none" } }, agents: { main: {}, victim: {} } });
  let browser: Browser;
  let site: { server: Server; url: string } | undefined;

  beforeAll(async () => {
    browser = await launchChromium(FLAGS);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    site?.server.close();
  });

  it("a cross-site page's no-cors POST and WebSocket do nothing", async () => {
    const gateway = running.url;
    site = await attackerSite(`<!doctype html><script>
      window.results = [];
      fetch("${gateway}/__openclaw__/agents/victim/kill", { method: "POST", mode: "no-cors" })
        .then(() => results.push("post sent"), () => results.push("post failed"));
      const socket = new WebSocket("${gateway.replace("http", "ws")}/");
      socket.onopen = () => results.push("socket open");
      socket.onerror = () => results.push("socket refused");
    </script>`);
    const page = await browser.newPage();
    await page.goto(site.url);
    await page.waitForFunction("window.results.length === 2", undefined, { timeout: 10_000 });
    expect(await page.evaluate("window.results")).toContain("socket refused");
    await page.close();
    expect(await agentStatus(gateway, "victim")).toMatchObject({ state: "ready" });
  });

  it("a DNS-rebound name reaches nothing: not the UI, not a tool, not agent control", async () => {
    const port = running.gateway.port;
    const origin = `http://rebind.attacker.example:${port}`;
    const marker = join(running.home.stateDir, "workspace", "main", "rebound");
    const page = await browser.newPage();
    // The attacker's page as it was served before the rebinding; its requests then go to the gateway.
    await page.route(`${origin}/attack.html`, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><script>
          window.statuses = [];
          const send = (path, body) => fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body })
            .then((response) => statuses.push(response.status), () => statuses.push(0));
          send("/__openclaw__/agents/victim/kill", "{}");
          send("/v1/chat/completions", JSON.stringify({ model: "openclaw/main",
            messages: [{ role: "user", content: '/tool write {"path":"rebound","content":"ran"}' }] }));
        </script>`,
      }),
    );
    await page.goto(`${origin}/attack.html`);
    await page.waitForFunction("window.statuses.length === 2", undefined, { timeout: 10_000 });
    expect(await page.evaluate("window.statuses")).toEqual([421, 421]);
    const ui = await page.goto(`${origin}/`);
    expect(ui?.status()).toBe(421);
    await page.close();
    expect(existsSync(marker)).toBe(false);
    expect(await agentStatus(running.url, "victim")).toMatchObject({ state: "ready" });
    // The same page from the gateway's own address works: the refusal was the name, not the browser.
    const own = await browser.newPage();
    await own.goto(`${running.url}/`);
    await waitFor(async () => (await own.title()) !== "");
    await own.close();
  });
});
