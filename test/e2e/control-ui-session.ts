import type { Browser, Page } from "playwright-core";
import { launchChromium } from "./chromium.js";

/**
 * What a channel gateway's config needs for the Control UI tests: token auth, the token from
 * the environment (`extra` and `env` of a channel setup such as startTelegramGateway).
 */
export function controlUiTokenAuth(token: string): {
  extra: Record<string, unknown>;
  env: Record<string, string>;
} {
  return {
    extra: {
      externalSecrets: { "gateway-token": { source: "env", key: "OPENCLAW_TEST_UI_TOKEN" } },
      gateway: { auth: { mode: "token", token: { $secret: "gateway-token" } } },
    },
    env: { OPENCLAW_TEST_UI_TOKEN: token },
  };
}

/** Chromium on the Control UI at `url`, signed in with `token`, once the channel panel shows. */
export async function openSignedInControlUi(
  url: string,
  token: string,
): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  await page.goto(url);
  await page.getByTestId("token-input").fill(token);
  await page.getByTestId("sign-in").click();
  await page.getByTestId("pairing-panel").waitFor({ timeout: 10_000 });
  return { browser, page };
}
