import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { controlUiTokenAuth, openSignedInControlUi } from "./control-ui-session.js";
import { REPO_ROOT, waitFor } from "./harness.js";
import { pairingCodeSentTo, startTelegramGateway, type TelegramGateway } from "./telegram-setup.js";

const TOKEN = "Ui-pairing-token-0123456789abcdef";
const SCREENSHOTS = join(REPO_ROOT, "test/e2e/screenshots");

/**
 * The Control UI's DM access requests against a real gateway whose Telegram account polls a
 * fake Bot API: a stranger's DM gets a code, the request shows in the browser, Approve lets
 * them in (and tells them), Dismiss does not.
 */
describe("Control UI: DM access requests in Chromium", () => {
  let running: TelegramGateway;
  let browser: Browser;
  let page: Page;
  const alice = { id: 4242, first_name: "Alice", username: "alice_test" };
  const bob = { id: 5151, first_name: "Bob" };
  const dm = (from: { id: number; first_name: string; username?: string }, text: string) =>
    running.bot.userSends({ chat: { id: from.id, type: "private" }, from, text });
  const sentTexts = () => running.bot.sent().map((entry) => entry.text);
  const shot = (name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `pairing-${name}.png`), fullPage: true });

  /** Waits for the pairing reply to `chatId` that is not `previous`, then refreshes the panel. */
  const newRequestFrom = async (chatId: number, previous?: string) => {
    const code = await waitFor(() => {
      const sent = pairingCodeSentTo(running.bot, chatId);
      return sent !== previous ? sent : undefined;
    }, 15_000);
    await page.getByTestId("pairing-refresh").click();
    await page.getByTestId(`pairing-row-${code}`).waitFor({ timeout: 10_000 });
    return code;
  };

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    running = await startTelegramGateway(controlUiTokenAuth(TOKEN));
    ({ browser, page } = await openSignedInControlUi(running.gateway.url, TOKEN));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  it("lists the channel account and its state", async () => {
    const state = page.getByTestId("channel-state-telegram-default");
    await expect
      .poll(
        async () => {
          await page.getByTestId("pairing-refresh").click();
          return state.textContent();
        },
        { timeout: 15_000 },
      )
      .toBe("ready");
    expect(await page.getByTestId("channel-account-telegram-default").textContent()).toContain("@claw_bot");
    expect(await page.getByTestId("pairing-empty").textContent()).toContain("No one is waiting");
  });

  it("shows a stranger's request, approves it with a notice, and their next DM is answered", async () => {
    dm(alice, "hi, who are you?");
    const code = await newRequestFrom(alice.id);
    const row = page.getByTestId(`pairing-row-${code}`);
    const text = (await row.textContent()) ?? "";
    for (const part of ["Alice", "@alice_test", String(alice.id), "Telegram", "default", code, "ago"]) {
      expect(text).toContain(part);
    }
    await shot("01-request");

    await page.getByTestId(`pairing-notify-${code}`).setChecked(true);
    await page.getByTestId(`pairing-approve-${code}`).click();
    await row.waitFor({ state: "detached", timeout: 10_000 });
    await expect
      .poll(() => page.getByTestId("pairing-message").textContent(), { timeout: 10_000 })
      .toContain("Alice may now message the bot; they were told.");
    await running.bot.waitFor(() => sentTexts().some((sent) => sent.includes("You are approved")), 10_000);
    await shot("02-approved");

    dm(alice, "now answer me");
    await running.bot.waitFor(
      () => sentTexts().some((sent) => sent.includes("You said: now answer me")),
      15_000,
    );
  });

  it("dismisses a request without letting the sender in", async () => {
    dm(bob, "let me in");
    const code = await newRequestFrom(bob.id);
    await page.getByTestId(`pairing-dismiss-${code}`).click();
    await page.getByTestId(`pairing-row-${code}`).waitFor({ state: "detached", timeout: 10_000 });
    await expect
      .poll(() => page.getByTestId("pairing-message").textContent(), { timeout: 10_000 })
      .toContain("Dismissed Bob");
    await shot("03-dismissed");

    // Not approved: the next DM is not answered by the agent but asked to pair again, with a new code.
    dm(bob, "please?");
    const again = await newRequestFrom(bob.id, code);
    expect(again).not.toBe(code);
    expect(sentTexts().some((sent) => sent.includes("You said: please?"))).toBe(false);
    expect(sentTexts().some((sent) => sent.includes("You said: let me in"))).toBe(false);
  });

  it("shows a failed approval inline, then drops the stale row", async () => {
    const code = (
      await page.locator("[data-testid^='pairing-row-']").first().getAttribute("data-testid")
    )?.replace("pairing-row-", "");
    expect(code).toBeDefined();
    // Gone behind the page's back (another operator dismissed it): the click fails, in words.
    const response = await fetch(`${running.gateway.url}/__openclaw__/pairing/dismiss`, {
      method: "POST",
      headers: { ...running.gateway.headers, "content-type": "application/json" },
      body: JSON.stringify({ channel: "telegram", code }),
    });
    expect(response.status).toBe(200);
    await page.getByTestId(`pairing-approve-${code}`).click();
    await expect
      .poll(() => page.getByTestId("pairing-message").textContent(), { timeout: 10_000 })
      .toMatch(/Could not approve Bob: no pending telegram pairing request has code/);
    await page.getByTestId(`pairing-row-${code}`).waitFor({ state: "detached", timeout: 10_000 });
    await shot("04-approve-failed");
  });

  it("is readable at 375 px wide with a request listed", async () => {
    const carol = { id: 6161, first_name: "Carol" };
    dm(carol, "hello");
    const code = await newRequestFrom(carol.id);
    await page.setViewportSize({ width: 375, height: 800 });
    const overflow = (await page.evaluate(
      "document.documentElement.scrollWidth - window.innerWidth",
    )) as number;
    expect(overflow).toBeLessThanOrEqual(1);
    // The buttons wrap inside the card rather than slide out of its scroll box.
    for (const testId of [`pairing-approve-${code}`, `pairing-dismiss-${code}`]) {
      const box = await page.getByTestId(testId).boundingBox();
      expect(box && box.x + box.width, testId).toBeLessThanOrEqual(375);
    }
    await shot("05-narrow");
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  it("shows why an account is degraded", async () => {
    // The token was revoked at Telegram: every poll is refused from now on.
    running.bot.failNext("getUpdates", { error_code: 401, description: "Unauthorized" }, 1000);
    const state = page.getByTestId("channel-state-telegram-default");
    await expect
      .poll(
        async () => {
          await page.getByTestId("pairing-refresh").click();
          return state.textContent();
        },
        { timeout: 15_000 },
      )
      .toBe("degraded");
    const account = page.getByTestId("channel-account-telegram-default");
    expect(await account.locator(".error").textContent()).toContain("Unauthorized");
    await shot("06-degraded");
  });
});
