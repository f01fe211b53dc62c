import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeUser } from "../../src/channels/discord/testing/fake-discord-state.js";
import { DISCORD_TOKEN, type DiscordGateway, startDiscordGateway } from "./discord-setup.js";
import { runCli, waitFor } from "./harness.js";
import { readTree, userTexts } from "./telegram-setup.js";

/**
 * Discord end to end: the real gateway process with @discordjs/ws and @discordjs/rest inside,
 * a loopback fake of Discord's REST API and gateway on the other side. DM pairing, guild and
 * channel allowlists, mention gating, threads, guild routing, a dropped gateway connection
 * resumed, a 429 waited out, a revoked token; the bot token is a canary that must show up nowhere.
 */
const STREAMED = Array.from({ length: 40 }, (_, index) => `word${index}`).join(" ");

describe("Discord channel (fake Discord REST + gateway)", () => {
  let setup: DiscordGateway;
  let owner: FakeUser;
  let stranger: FakeUser;
  let guildId = "";
  let general = "";
  let help = "";
  let random = "";
  let otherGuildChannel = "";
  let otherGuildId = "";

  beforeAll(async () => {
    setup = await startDiscordGateway({
      prepare(discord) {
        owner = discord.user("1400000000000000001", "olivia", "Olivia");
        stranger = discord.user("1400000000000000002", "sam", "Sam");
        const team = discord.createGuild("Team", ["general", "help", "random"]);
        guildId = team.guild.id;
        [general = "", help = "", random = ""] = team.channelIds;
        const other = discord.createGuild("Other", ["lobby"]);
        [otherGuildChannel = ""] = other.channelIds;
        otherGuildId = other.guild.id;
        return {
          streaming: "partial",
          allowFrom: [owner.id],
          guilds: {
            [guildId]: { channels: { [general]: { enabled: true }, [help]: { requireMention: false } } },
            [other.guild.id]: { requireMention: false },
          },
        };
      },
      extra: () => ({
        agents: { main: { model: "openai/gpt-4o-mini" }, guildbot: { model: "openai/gpt-4o" } },
        bindings: [{ agentId: "guildbot", match: { channel: "discord", guildId: otherGuildId } }],
      }),
      chunkDelayMs: 25,
      respond: (request) => {
        const texts = userTexts(request.body);
        const last = texts.at(-1) ?? "";
        if (last.includes("stream")) return { type: "text", text: STREAMED };
        const agent = (request.body as { model?: string }).model === "gpt-4o" ? "guildbot" : "main";
        return { type: "text", text: `${agent} heard: ${last} (turn ${texts.length})` };
      },
    });
  }, 60_000);
  afterAll(async () => {
    await setup?.stop();
  });

  const shown = (channelId: string) =>
    setup.discord.botMessagesIn(channelId).map((message) => message.content);
  const dmOf = (user: FakeUser) => setup.discord.dmChannelId(user.id);

  it("answers an unknown DM with a pairing code; after `openclaw pairing approve discord` it answers", async () => {
    const requestsBefore = setup.provider.requests.length;
    setup.discord.userSendsDm(stranger, "hi bot");
    await setup.discord.waitFor(() => shown(dmOf(stranger)).length === 1, 10_000);
    const pairing = shown(dmOf(stranger))[0] ?? "";
    expect(pairing).toContain(`Your discord id: ${stranger.id}`);
    const code = /Pairing code: ([A-Z2-9]{8})/.exec(pairing)?.[1] as string;
    expect(code).toMatch(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/);
    expect(setup.provider.requests.length).toBe(requestsBefore);
    const listed = await runCli(["pairing", "list", "discord", "--json"], setup.home.env);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ code, senderId: stranger.id, channel: "discord" }]);
    const approved = await runCli(["pairing", "approve", "discord", code], setup.home.env);
    expect(approved.stderr).toBe("");
    expect(approved.stdout).toContain(`approved discord sender ${stranger.id}`);
    setup.discord.userSendsDm(stranger, "hello again");
    await setup.discord.waitFor(
      () => shown(dmOf(stranger)).at(-1)?.startsWith("main heard: hello again") === true,
      10_000,
    );
    expect(setup.provider.requests.length).toBe(requestsBefore + 1);
  });

  it("answers a mention in an allowed channel as a reply, ignores one without, and ignores unlisted channels", async () => {
    setup.discord.userSendsInChannel({ user: owner, channelId: general, text: "talking among ourselves" });
    setup.discord.userSendsInChannel({ user: stranger, channelId: random, text: "anyone?", mention: "user" });
    const asked = setup.discord.userSendsInChannel({
      user: owner,
      channelId: general,
      text: "what time is it",
      mention: "user",
    });
    await setup.discord.waitFor(() => shown(general).length >= 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(setup.discord.botMessagesIn(general)).toEqual([
      {
        messageId: expect.any(String),
        content: "main heard: Olivia: @claw what time is it (turn 1)",
        replyTo: asked.id,
      },
    ]);
    expect(shown(random)).toEqual([]);
    expect(setup.discord.typingCalls().some((call) => call.channelId === general)).toBe(true);
  });

  it("answers without a mention where requireMention is false, and in a thread of it, in the thread", async () => {
    setup.discord.userSendsInChannel({ user: owner, channelId: help, text: "no mention needed" });
    await setup.discord.waitFor(() => shown(help).length === 1, 10_000);
    expect(shown(help)[0]).toBe("main heard: Olivia: no mention needed (turn 1)");
    const thread = setup.discord.userCreatesThread(help, "side topic");
    setup.discord.userSendsInChannel({ user: owner, channelId: thread.id, text: "in the thread" });
    await setup.discord.waitFor(() => shown(thread.id).length === 1, 10_000);
    // Its own session: the thread's first turn, not the channel's second.
    expect(shown(thread.id)[0]).toBe("main heard: Olivia: in the thread (turn 1)");
    expect(shown(help)).toHaveLength(1);
  });

  it("routes a guild bound with bindings[].match.guildId to its agent", async () => {
    setup.discord.userSendsInChannel({ user: owner, channelId: otherGuildChannel, text: "which agent?" });
    await setup.discord.waitFor(() => shown(otherGuildChannel).length === 1, 10_000);
    expect(shown(otherGuildChannel)[0]).toBe("guildbot heard: Olivia: which agent? (turn 1)");
  });

  it("streams a reply into one message edited in place (streaming: partial)", async () => {
    const dm = dmOf(owner);
    const before = setup.discord.sent().length;
    setup.discord.userSendsDm(owner, "stream please");
    await setup.discord.waitFor(() => shown(dm).at(-1) === STREAMED, 20_000);
    const calls = setup.discord
      .sent()
      .slice(before)
      .filter((entry) => entry.channelId === dm);
    const creates = calls.filter((entry) => entry.method === "create");
    const edits = calls.filter((entry) => entry.method === "edit");
    expect(creates).toHaveLength(1);
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(new Set(edits.map((entry) => entry.messageId))).toEqual(new Set([creates[0]?.messageId]));
    expect(edits.at(-1)?.content).toBe(STREAMED);
  });

  it("resumes after the gateway connection drops, and answers the message sent meanwhile", async () => {
    const before = setup.discord.connections().length;
    setup.discord.dropConnection();
    setup.discord.userSendsDm(owner, "are you still there");
    await setup.discord.waitFor(
      () => shown(dmOf(owner)).at(-1)?.startsWith("main heard: are you still there") === true,
      15_000,
    );
    const after = setup.discord.connections().slice(before);
    expect(after.map((connection) => connection.path)).toEqual(["/resume"]);
    expect(after[0]?.ops).toContain(6);
    expect(after[0]?.ops).not.toContain(2);
    setup.discord.userSendsDm(owner, "and now");
    await setup.discord.waitFor(
      () => shown(dmOf(owner)).at(-1)?.startsWith("main heard: and now") === true,
      10_000,
    );
  });

  it("waits out a 429 on the send route with retry_after 2 s, and sends the reply once", async () => {
    setup.discord.rateLimitNext("POST /channels/:id/messages", 2000);
    const sentAt = Date.now();
    setup.discord.userSendsDm(owner, "are you rate limited");
    await setup.discord.waitFor(
      () => shown(dmOf(owner)).at(-1)?.startsWith("main heard: are you rate limited") === true,
      15_000,
    );
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(2000);
    expect(setup.discord.rateLimited().at(-1)).toMatchObject({
      template: "POST /channels/:id/messages",
      retryAfterMs: 2000,
    });
    expect(
      shown(dmOf(owner)).filter((text) => text.startsWith("main heard: are you rate limited")),
    ).toHaveLength(1);
  });

  it("sends with `openclaw message send` to channel:<id> and user:<id>", async () => {
    for (const [target, channelId] of [
      [`channel:${general}`, general],
      [`user:${owner.id}`, dmOf(owner)],
    ] as const) {
      const sent = await runCli(
        ["message", "send", "--channel", "discord", "--target", target, "--message", "**from the CLI**"],
        setup.home.env,
      );
      expect(sent.code, sent.stderr).toBe(0);
      await setup.discord.waitFor(() => shown(channelId).at(-1) === "**from the CLI**", 5000);
    }
    const status = await runCli(["channels", "status", "--json"], setup.home.env);
    expect(JSON.parse(status.stdout)).toMatchObject([
      { channel: "discord", accountId: "default", state: "ready", identity: { username: "claw" } },
    ]);
  });

  it("keeps the bot token out of every log, status and state file", async () => {
    const status = await (
      await fetch(`${setup.gateway.url}/__openclaw__/status`, { headers: setup.gateway.headers })
    ).text();
    const files = await readTree(setup.home.stateDir);
    const secret = DISCORD_TOKEN.split(".")[2] as string;
    for (const form of [DISCORD_TOKEN, secret, Buffer.from(DISCORD_TOKEN).toString("base64")]) {
      expect(status).not.toContain(form);
      expect(setup.gateway.output()).not.toContain(form);
      for (const file of files) expect(file.content.includes(form), file.path).toBe(false);
    }
  });

  it("degrades the account with a clear hint when the token is revoked (4004, then 401)", async () => {
    setup.discord.revokeToken();
    const degraded = await waitFor(async () => {
      const status = await runCli(["channels", "status", "--json"], setup.home.env);
      const [report] = JSON.parse(status.stdout) as { state: string; errorCode?: string; detail?: string }[];
      return report?.state === "degraded" ? report : undefined;
    }, 15_000);
    expect(degraded.errorCode).toBe("OC_ERR_CHANNEL_AUTH");
    expect(degraded.detail).toContain("channels.discord");
    const doctor = await runCli(["doctor", "--json"], setup.home.env);
    const findings = JSON.parse(doctor.stdout) as { id: string; status: string; fix?: string }[];
    expect(findings.find((finding) => finding.id === "channels")).toMatchObject({
      status: "fail",
      fix: expect.stringContaining("Developer Portal"),
    });
  });
});
