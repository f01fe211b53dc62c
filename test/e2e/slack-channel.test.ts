import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedRequest } from "../../src/models/testing/fake-provider-server.js";
import { runCli, waitFor } from "./harness.js";
import {
  inboundCount,
  SLACK_APP_TOKEN,
  SLACK_BOT_TOKEN,
  SLACK_SIGNING_SECRET,
  type SlackGateway,
  startSlackGateway,
  visibleSlackMessages,
} from "./slack-setup.js";
import { readTree, userTexts } from "./telegram-setup.js";

const OWNER = "U0OWNER";
const STRANGER = "U0STRANGER";
const CHANNEL = "C0TEAM";
const BOT = "U0BOTUSER";

/** The agent repeats the last user message (less the bot's mention) and counts the session's turns. */
const echo = (request: RecordedRequest) => {
  const texts = userTexts(request.body);
  const last = (texts.at(-1) ?? "").replace(/<@[A-Z0-9]+>\s*/g, "");
  return { type: "text" as const, text: `You said: ${last} (turn ${texts.length})` };
};

/**
 * Slack end to end: the real gateway process with @slack/web-api and @slack/socket-mode inside,
 * a loopback fake Slack on the other side. Events API requests must carry a valid signature;
 * the tokens and the signing secret are canaries that must show up nowhere.
 */
describe("Slack channel (Events API, fake Slack)", () => {
  let setup: SlackGateway;
  beforeAll(async () => {
    setup = await startSlackGateway({
      mode: "http",
      slack: {
        allowFrom: [OWNER],
        channels: { [CHANNEL]: { requireMention: true } },
        replyToMode: "all",
        streaming: "off",
      },
      respond: echo,
    });
  }, 60_000);
  afterAll(async () => {
    await setup?.stop();
  });

  const channelMessages = () => visibleSlackMessages(setup.slack.posted(), CHANNEL);

  it("answers a signed mention in a thread under it, and a follow-up in that thread in the same session", async () => {
    const { ts, statuses } = await setup.slack.userSends({
      channel: CHANNEL,
      channelType: "channel",
      user: OWNER,
      text: `<@${BOT}> what time is it`,
      appMention: true,
    });
    expect(statuses).toEqual([200, 200]);
    await setup.slack.waitFor(() => channelMessages().length === 1, 10_000);
    expect(channelMessages()[0]).toMatchObject({
      threadTs: ts,
      text: `You said: ${OWNER}: what time is it (turn 1)`,
    });

    await setup.slack.userSends({
      channel: CHANNEL,
      channelType: "channel",
      user: OWNER,
      text: `<@${BOT}> and now`,
      threadTs: ts,
    });
    await setup.slack.waitFor(() => channelMessages().length === 2, 10_000);
    expect(channelMessages()[1]).toMatchObject({
      threadTs: ts,
      text: `You said: ${OWNER}: and now (turn 2)`,
    });
    // One reply per message although the mention came as both app_mention and message.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(channelMessages()).toHaveLength(2);
  });

  it("ignores a channel message without a mention", async () => {
    const before = setup.provider.requests.length;
    await setup.slack.userSends({
      channel: CHANNEL,
      channelType: "channel",
      user: OWNER,
      text: "just chatting",
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(setup.provider.requests.length).toBe(before);
  });

  it("refuses a bad signature, a replayed old timestamp and a missing header with 401, running nothing", async () => {
    const requestsBefore = setup.provider.requests.length;
    const postedBefore = setup.slack.posted().length;
    const inboundBefore = await inboundCount(setup.gateway);
    const forged = {
      channel: CHANNEL,
      channelType: "channel" as const,
      user: OWNER,
      text: `<@${BOT}> forged-canary-7731`,
      appMention: true,
    };
    for (const flaws of [
      { badSignature: true },
      { ageSeconds: 6 * 60 },
      { omit: ["signature" as const] },
      { omit: ["timestamp" as const] },
    ]) {
      const { statuses } = await setup.slack.userSends(forged, flaws);
      expect(statuses, JSON.stringify(flaws)).toEqual([401, 401]);
    }
    // A genuine request captured and replayed after the window is refused too.
    const captured = setup.slack.messageCallback(forged);
    expect(await setup.slack.events.post(captured, { ageSeconds: 301 })).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(setup.provider.requests.length).toBe(requestsBefore);
    expect(setup.slack.posted().length).toBe(postedBefore);
    expect(await inboundCount(setup.gateway)).toBe(inboundBefore);
    expect(setup.gateway.output()).not.toContain("forged-canary-7731");
    const files = await readTree(setup.home.stateDir);
    for (const file of files) expect(file.content.includes("forged-canary-7731"), file.path).toBe(false);
  });

  it("answers url_verification with the challenge once the request is signed", async () => {
    const body = { type: "url_verification", token: "legacy", challenge: "challenge-9f3b" };
    expect(await setup.slack.events.post(body, { badSignature: true })).toBe(401);
    expect(await setup.slack.events.post(body)).toBe(200);
    expect(setup.slack.events.deliveries.at(-1)?.body).toBe("challenge-9f3b");
  });

  it("answers an unknown DM with a pairing code in its IM channel; after approval it answers", async () => {
    const im = setup.slack.imOf(STRANGER);
    const before = setup.provider.requests.length;
    await setup.slack.userSends({ channel: im, channelType: "im", user: STRANGER, text: "hi bot" });
    await setup.slack.waitFor(() => visibleSlackMessages(setup.slack.posted(), im).length === 1, 10_000);
    const pairing = visibleSlackMessages(setup.slack.posted(), im)[0]!.text;
    expect(pairing).toContain(`Your slack id: ${STRANGER}`);
    const code = /Pairing code: ([A-Z2-9]{8})/.exec(pairing)?.[1] as string;
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect(setup.provider.requests.length).toBe(before);
    const approved = await runCli(["pairing", "approve", "slack", code], setup.home.env);
    expect(approved.stdout).toContain(`approved slack sender ${STRANGER}`);
    await setup.slack.userSends({ channel: im, channelType: "im", user: STRANGER, text: "hello again" });
    await setup.slack.waitFor(
      () =>
        visibleSlackMessages(setup.slack.posted(), im).at(-1)?.text.startsWith("You said: hello again") ===
        true,
      10_000,
    );
    // A DM reply stays at the top level of the IM.
    expect(visibleSlackMessages(setup.slack.posted(), im).at(-1)?.threadTs).toBeUndefined();
  });

  it("waits out a 429 with Retry-After 2 and loses nothing", async () => {
    const im = setup.slack.imOf(OWNER);
    setup.slack.failNext("chat.postMessage", { status: 429, retryAfterSeconds: 2 });
    const sentAt = Date.now();
    await setup.slack.userSends({
      channel: im,
      channelType: "im",
      user: OWNER,
      text: "are you rate limited",
    });
    await setup.slack.waitFor(
      () =>
        visibleSlackMessages(setup.slack.posted(), im).some((entry) =>
          entry.text.includes("are you rate limited"),
        ),
      15_000,
    );
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(2000);
    const replies = visibleSlackMessages(setup.slack.posted(), im).filter((entry) =>
      entry.text.includes("are you rate limited"),
    );
    expect(replies).toHaveLength(1);
    expect(
      setup.slack.calls().some((call) => call.method === "chat.postMessage" && call.status === 429),
    ).toBe(true);
  });

  it("keeps the bot token and the signing secret out of status, logs and state", async () => {
    const status = await runCli(["channels", "status", "--json"], setup.home.env);
    expect(JSON.parse(status.stdout)).toMatchObject([
      { channel: "slack", accountId: "default", state: "ready" },
    ]);
    const files = await readTree(setup.home.stateDir);
    for (const secret of [SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET]) {
      expect(status.stdout).not.toContain(secret);
      expect(setup.gateway.output()).not.toContain(secret);
      for (const file of files) expect(file.content.includes(secret), file.path).toBe(false);
    }
  });
});

describe("Slack channel (Socket Mode, fake Slack)", () => {
  let setup: SlackGateway;
  beforeAll(async () => {
    setup = await startSlackGateway({
      mode: "socket",
      slack: { allowFrom: [OWNER], channels: { [CHANNEL]: {} } },
      respond: echo,
    });
  }, 60_000);
  afterAll(async () => {
    await setup?.stop();
  });

  it("answers a DM that came over the socket, and acks its envelope", async () => {
    const im = setup.slack.imOf(OWNER);
    await setup.slack.userSends({ channel: im, channelType: "im", user: OWNER, text: "over the socket" });
    await setup.slack.waitFor(
      () =>
        visibleSlackMessages(setup.slack.posted(), im).at(-1)?.text === "You said: over the socket (turn 1)",
      10_000,
    );
    expect(setup.slack.socketMode.envelopes.every((envelope) => envelope.ackedAt !== undefined)).toBe(true);
  });

  it("answers a channel mention at the top level under OpenClaw's default replyToMode off", async () => {
    await setup.slack.userSends({
      channel: CHANNEL,
      channelType: "channel",
      user: OWNER,
      text: `<@${BOT}> ping`,
      appMention: true,
    });
    await setup.slack.waitFor(() => visibleSlackMessages(setup.slack.posted(), CHANNEL).length === 1, 10_000);
    expect(visibleSlackMessages(setup.slack.posted(), CHANNEL)[0]).toMatchObject({
      threadTs: undefined,
      text: `You said: ${OWNER}: ping (turn 1)`,
    });
  });

  it("reconnects after Slack's disconnect message and keeps answering", async () => {
    setup.slack.socketMode.sendDisconnect();
    await setup.slack.waitFor(
      () => setup.slack.socketMode.connectionsOpened >= 2 && setup.slack.socketMode.connected() === 1,
      15_000,
    );
    const im = setup.slack.imOf(OWNER);
    await setup.slack.userSends({ channel: im, channelType: "im", user: OWNER, text: "still there" });
    await setup.slack.waitFor(
      () =>
        visibleSlackMessages(setup.slack.posted(), im).at(-1)?.text.startsWith("You said: still there") ===
        true,
      10_000,
    );
  });

  it("sends with `openclaw message send --channel slack --target channel:<id>` and user:<id>", async () => {
    const toChannel = await runCli(
      [
        "message",
        "send",
        "--channel",
        "slack",
        "--target",
        `channel:${CHANNEL}`,
        "--message",
        "**from the CLI**",
      ],
      setup.home.env,
    );
    expect(toChannel.code).toBe(0);
    await setup.slack.waitFor(
      () => visibleSlackMessages(setup.slack.posted(), CHANNEL).at(-1)?.text === "*from the CLI*",
      5000,
    );
    const toUser = await runCli(
      ["message", "send", "--channel", "slack", "--target", `user:${STRANGER}`, "--message", "hello _you_"],
      setup.home.env,
    );
    expect(toUser.code).toBe(0);
    await setup.slack.waitFor(
      () =>
        visibleSlackMessages(setup.slack.posted(), setup.slack.imOf(STRANGER)).at(-1)?.text === "hello _you_",
      5000,
    );
  });

  it("keeps the bot and app tokens out of logs", () => {
    for (const secret of [SLACK_BOT_TOKEN, SLACK_APP_TOKEN])
      expect(setup.gateway.output()).not.toContain(secret);
  });

  it("marks the account degraded with the fix when Slack revokes the bot token", async () => {
    setup.slack.revokeBotToken();
    const im = setup.slack.imOf(OWNER);
    await setup.slack.userSends({ channel: im, channelType: "im", user: OWNER, text: "after revocation" });
    const report = await waitFor(async () => {
      const status = await runCli(["channels", "status", "--json"], setup.home.env);
      const [account] = JSON.parse(status.stdout) as { state: string; errorCode?: string; detail?: string }[];
      return account?.state === "degraded" && account.errorCode === "OC_ERR_CHANNEL_AUTH"
        ? account
        : undefined;
    }, 15_000);
    expect(report.detail).toContain("token_revoked");
    const doctor = await runCli(["doctor"], setup.home.env);
    expect(doctor.stdout).toContain("Slack refused the bot token");
    for (const secret of [SLACK_BOT_TOKEN, SLACK_APP_TOKEN]) expect(doctor.stdout).not.toContain(secret);
  });
});
