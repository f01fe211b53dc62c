import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegramBotApi } from "../../src/channels/telegram/testing/fake-telegram-bot-api.js";
import {
  type RunningGateway,
  runCli,
  startGateway,
  type TempHome,
  tempHome,
  waitFor,
  withTestAuth,
} from "./harness.js";
import { BOT_TOKEN } from "./telegram-setup.js";

const WRONG_TOKEN = "7301846592:AAE-revoked-token-Hh4Jk8Lm2Nb6Vc0X";

interface ChannelReport {
  state: string;
  detail?: string;
  errorCode?: string;
  restarts: number;
}

/**
 * A Telegram account whose token the Bot API refuses: the channel is degraded with the reason
 * (status, `channels status`, doctor's FAIL with the fix), the agents keep answering, and the
 * refused token is in none of it. A reload with the right token brings it up.
 */
describe("Telegram channel with a refused token", () => {
  let bot: FakeTelegramBotApi;
  let home: TempHome;
  let gateway: RunningGateway;
  beforeAll(async () => {
    bot = new FakeTelegramBotApi({ token: BOT_TOKEN, botUsername: "claw_bot" });
    const { apiRoot } = await bot.start();
    home = await tempHome();
    await writeFile(join(home.dir, "telegram.token"), WRONG_TOKEN, { mode: 0o600 });
    await writeFile(
      home.configPath,
      JSON.stringify(
        withTestAuth({
          externalSecrets: { "telegram-bot": { source: "file", path: join(home.dir, "telegram.token") } },
          channels: { telegram: { botToken: { $secret: "telegram-bot" }, apiRoot, pollTimeoutSeconds: 1 } },
        }),
      ),
    );
    gateway = await startGateway(home);
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await bot?.stop();
    await home?.cleanup();
  });

  const channels = async () =>
    (
      (await (await fetch(`${gateway.url}/__openclaw__/channels`, { headers: gateway.headers })).json()) as {
        channels: ChannelReport[];
      }
    ).channels;

  it("is degraded with why, and doctor fails it with the fix", async () => {
    const [report] = await waitFor(async () => {
      const list = await channels();
      return list[0]?.state === "degraded" ? list : undefined;
    });
    expect(report).toMatchObject({ state: "degraded", errorCode: "OC_ERR_CHANNEL_AUTH" });
    expect(report?.detail).toContain("Unauthorized");
    const status = await runCli(["channels", "status"], home.env);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain("degraded");
    const doctor = await runCli(["doctor", "--json"], home.env);
    expect(doctor.code).toBe(1);
    const findings = JSON.parse(doctor.stdout) as {
      id: string;
      status: string;
      summary: string;
      fix?: string;
    }[];
    const channel = findings.find((finding) => finding.id === "channels");
    expect(channel).toMatchObject({ status: "fail" });
    expect(channel?.summary).toContain("telegram:default");
    expect(channel?.fix).toContain("botToken");
    for (const text of [JSON.stringify(report), status.stdout, doctor.stdout, gateway.output()]) {
      expect(text).not.toContain(WRONG_TOKEN);
      expect(text).not.toContain(WRONG_TOKEN.split(":")[1]);
    }
  });

  it("keeps serving agents meanwhile", async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { ...gateway.headers, "content-type": "application/json" },
      body: JSON.stringify({ model: "openclaw/main", messages: [{ role: "user", content: "still there?" }] }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe("You said: still there?");
  });

  it("comes up once the secret holds the right token", async () => {
    await writeFile(join(home.dir, "telegram.token"), BOT_TOKEN, { mode: 0o600 });
    await runCli(["secrets", "reload"], home.env);
    await waitFor(async () => (await channels())[0]?.state === "ready", 20_000);
  });
});
