import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./chromium.js";
import { REPO_ROOT, useGateway } from "./harness.js";

const TOKEN = "Ui-tests-token-0123456789abcdef";
const SCREENSHOTS = join(REPO_ROOT, "test/e2e/screenshots");
/** An A2UI surface with one button, pushed by the agent through the dev model's /tool form. */
const SURFACE = [
  {
    surfaceUpdate: {
      surfaceId: "main",
      components: [
        { id: "root", component: { Column: { children: { explicitList: ["title", "go"] } } } },
        { id: "title", component: { Text: { text: { literalString: "Deploy to staging?" } } } },
        { id: "go-label", component: { Text: { text: { literalString: "Deploy" } } } },
        { id: "go", component: { Button: { child: "go-label", action: { name: "deploy" } } } },
      ],
    },
  },
  { beginRendering: { surfaceId: "main", root: "root" } },
];

describe("Control UI in Chromium", () => {
  const running = useGateway(
    {
      externalSecrets: { "gateway-token": { source: "env", key: "OPENCLAW_TEST_UI_TOKEN" } },
      gateway: { auth: { mode: "token", token: { $secret: "gateway-token" } } },
      agents: { main: {}, helper: { threadBound: true } },
    },
    (home) => {
      home.env.OPENCLAW_TEST_UI_TOKEN = TOKEN;
    },
  );
  let browser: Browser;
  let page: Page;
  const requests: Request[] = [];
  let step = 0;
  const shot = async (name: string) => {
    step += 1;
    await page.screenshot({
      path: join(SCREENSHOTS, `${String(step).padStart(2, "0")}-${name}.png`),
      fullPage: true,
    });
  };

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on("request", (request) => requests.push(request));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("refuses a wrong token in words and loads nothing else", async () => {
    await page.goto(running.url);
    await page.getByTestId("token-input").fill("not-the-token");
    await page.getByTestId("sign-in").click();
    await expect
      .poll(() => page.getByTestId("sign-in-error").textContent(), { timeout: 10_000 })
      .toMatch(/not accepted/i);
    expect(await page.getByTestId("agent-select").count()).toBe(0);
    expect(await page.getByTestId("status-bar").count()).toBe(0);
    await shot("wrong-token");
  });

  it("signs in and chats a streaming turn with the dev model", async () => {
    await page.getByTestId("token-input").fill(TOKEN);
    await page.getByTestId("sign-in").click();
    await page.getByTestId("agent-select").waitFor({ timeout: 10_000 });
    await page.getByTestId("chat-input").fill("hello from the browser");
    await page.getByTestId("send").click();
    await expect
      .poll(() => page.getByTestId("assistant-message").last().textContent(), { timeout: 10_000 })
      .toContain("You said: hello from the browser");
    await shot("chat");
  });

  it("shows an agent killed and restarted in the agents panel", async () => {
    const state = page.getByTestId("agent-state-helper");
    await expect.poll(() => state.textContent(), { timeout: 10_000 }).toContain("ready");
    await page.getByTestId("kill-helper").click();
    await expect.poll(() => state.textContent(), { timeout: 10_000 }).toContain("stopped");
    await shot("agent-killed");
    await page.getByTestId("restart-helper").click();
    await expect.poll(() => state.textContent(), { timeout: 10_000 }).toContain("ready");
    await shot("agent-restarted");
  });

  it("renders an A2UI surface, and a click reaches the agent, whose reply shows in the chat", async () => {
    await page
      .getByTestId("chat-input")
      .fill(`/tool canvas ${JSON.stringify({ action: "a2ui", messages: SURFACE })}`);
    await page.getByTestId("send").click();
    const button = page.getByTestId("a2ui-button-go");
    await button.waitFor({ timeout: 10_000 });
    expect(await page.getByTestId("canvas").textContent()).toContain("Deploy to staging?");
    await shot("a2ui-surface");
    await button.click();
    await expect
      .poll(() => page.getByTestId("assistant-message").last().textContent(), { timeout: 10_000 })
      .toContain('A2UI action "deploy"');
    await shot("a2ui-action-reply");
  });

  it("runs no script of a page the agent draws (the frame is sandboxed without allow-scripts)", async () => {
    const html =
      "<p id='m'>static page</p><script>document.getElementById('m').textContent='script ran';" +
      "fetch('/__openclaw__/status?from-agent-page')</script>";
    await page.getByTestId("chat-input").fill(`/tool canvas ${JSON.stringify({ action: "present", html })}`);
    await page.getByTestId("send").click();
    const frame = page.locator("iframe.canvas-frame");
    await frame.waitFor({ timeout: 10_000 });
    expect(await frame.getAttribute("sandbox")).toBe("");
    const content = page.frameLocator("iframe.canvas-frame").locator("#m");
    await expect.poll(() => content.textContent(), { timeout: 10_000 }).toBe("static page");
    expect(requests.some((request) => request.url().includes("from-agent-page"))).toBe(false);
    await shot("agent-page-no-script");
  });

  it("never puts the token in a URL", () => {
    const leaking = requests.filter((request) => request.url().includes(TOKEN));
    expect(leaking.map((request) => request.url())).toEqual([]);
  });

  it("is readable at 375 px wide", async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    const overflow = (await page.evaluate(
      "document.documentElement.scrollWidth - window.innerWidth",
    )) as number;
    expect(overflow).toBeLessThanOrEqual(1);
    await shot("narrow");
  });
});
