import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlUiTokenAuth, openSignedInControlUi } from "./control-ui-session.js";
import { REPO_ROOT, runCli, waitFor } from "./harness.js";
import { startTelegramGateway, type TelegramGateway } from "./telegram-setup.js";
import { scenarioAgents, scriptedAgents } from "./thread-binding-scenario.js";

const TOKEN = "Ui-bindings-token-0123456789abcdef";
const OWNER = { id: 555, first_name: "Olivia" };

/** The Control UI's channel panel lists a conversation bound by sessions_spawn { thread: true }. */
describe("Control UI: thread bindings in Chromium", () => {
  let running: TelegramGateway;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const auth = controlUiTokenAuth(TOKEN);
    running = await startTelegramGateway({
      telegram: { dmPolicy: "allowlist", allowFrom: [String(OWNER.id)] },
      respond: scriptedAgents,
      extra: {
        agents: scenarioAgents(join(REPO_ROOT, "examples/plugins/faults/timer-throw.mjs")),
        ...auth.extra,
      },
      env: auth.env,
    });
    ({ browser, page } = await openSignedInControlUi(running.gateway.url, TOKEN));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  it("shows no binding, then the helper's binding with its session and expiry", async () => {
    expect(await page.getByTestId("thread-bindings-empty").textContent()).toContain(
      "No conversation is bound",
    );
    running.bot.userSends({
      chat: { id: OWNER.id, type: "private" },
      from: OWNER,
      text: "please analyze this",
    });
    const sessionKey = await waitFor(async () => {
      const listed = await runCli(["channels", "bindings", "--json"], running.home.env);
      return (JSON.parse(listed.stdout) as { sessionKey: string }[])[0]?.sessionKey;
    }, 20_000);
    const row = page.getByTestId(`thread-binding-${sessionKey}`);
    await expect
      .poll(
        async () => {
          await page.getByTestId("pairing-refresh").click();
          return (await row.count()) > 0 ? row.textContent() : "";
        },
        { timeout: 15_000 },
      )
      .toContain("analyzer");
    const text = (await row.textContent()) ?? "";
    for (const part of ["telegram", `direct:${OWNER.id}`, sessionKey, "idle 24h", "in 23h 59m"])
      expect(text).toContain(part);
  });
});
