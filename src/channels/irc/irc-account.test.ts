import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isOpenClawError } from "../../errors.js";
import type { ChannelAccount } from "../core/channel-account.js";
import { ChannelSendError } from "../core/channel-errors.js";
import { createIrcAccount, type IrcAccountOptions } from "./index.js";
import { connectUser, type IrcUser } from "./testing/irc-user.js";
import { type NgircdServer, startNgircd } from "./testing/ngircd-server.js";
import { type RecordingSink, recordingSink } from "./testing/recording-sink.js";

let server: NgircdServer;
const cleanups: Array<() => Promise<void>> = [];
let nickCounter = 0;

beforeAll(async () => {
  server = await startNgircd();
});
afterAll(async () => {
  await server?.stop();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh nick per test: ngircd still holds a nick for a moment after its owner quits. */
function uniqueNick(base: string): string {
  nickCounter += 1;
  return `${base}${nickCounter}`;
}

async function startAccount(
  overrides: Partial<IrcAccountOptions> = {},
  target: { port: number } = server,
): Promise<{ account: ChannelAccount; sink: RecordingSink; nick: string }> {
  const nick = overrides.nick ?? uniqueNick("claw");
  const account = createIrcAccount({
    accountId: "default",
    host: "127.0.0.1",
    port: target.port,
    tls: false,
    nick,
    channels: ["#ops"],
    flood: { burst: 50, intervalMs: 10 },
    connectTimeoutMs: 3_000,
    ...overrides,
  });
  const sink = recordingSink();
  cleanups.push(() => account.stop());
  const identity = await account.start(sink);
  expect(identity).toEqual({ id: nick, username: nick });
  return { account, sink, nick };
}

async function user(nick: string, channels: string[] = ["#ops"], port = server.port): Promise<IrcUser> {
  const connected = await connectUser({ port, nick: uniqueNick(nick), channels });
  cleanups.push(() => connected.quit());
  return connected;
}

const joinedBy = (person: IrcUser, nick: string, channel: string) => () =>
  person
    .rawLines()
    .some((line) => line.startsWith(`:${nick}!`) && line.toLowerCase().endsWith(`join :${channel}`));

describe("IRC account against ngircd", () => {
  it("starts with its nick as identity and joins its channels", async () => {
    const alice = await user("alice");
    const { nick } = await startAccount({ channels: ["#ops", "#Second"] });
    await alice.waitFor(joinedBy(alice, nick, "#ops"));
    const bob = await user("bob", ["#second"]);
    bob.sendRaw("NAMES #second");
    await bob.waitFor(() => bob.rawLines().some((line) => / 353 /.test(line) && line.includes(nick)));
  });

  it("delivers a direct message as a direct peer, always mentioned", async () => {
    const { sink, nick } = await startAccount();
    const alice = await user("alice");
    alice.say(nick, "hello there");
    await sink.waitFor(() => sink.messages.length === 1);
    const [message] = sink.messages;
    expect(message).toMatchObject({
      channel: "irc",
      accountId: "default",
      peer: { kind: "direct", id: alice.nick },
      sender: { id: alice.nick, name: alice.nick, username: `~${alice.nick.toLowerCase()}@127.0.0.1` },
      mentioned: true,
      text: "hello there",
      attachments: [],
    });
    expect(message!.messageId).toMatch(/\S+-1$/);
    expect(Math.abs(message!.sentAt - Date.now())).toBeLessThan(5_000);
  });

  it("delivers channel messages as a group peer, mentioned only when addressed", async () => {
    const alice = await user("alice");
    const { sink, nick } = await startAccount();
    await alice.waitFor(joinedBy(alice, nick, "#ops"));
    alice.say("#OPS", "just chatting");
    alice.say("#ops", `${nick.toUpperCase()}: what's the status?`);
    alice.say("#ops", `has anyone asked ${nick} yet?`);
    alice.sendRaw(`PRIVMSG #ops :\x01ACTION waves at ${nick}\x01`);
    await sink.waitFor(() => sink.messages.length === 4);
    expect(sink.messages.map(({ peer, mentioned, text }) => ({ peer, mentioned, text }))).toEqual([
      { peer: { kind: "group", id: "#ops" }, mentioned: false, text: "just chatting" },
      { peer: { kind: "group", id: "#ops" }, mentioned: true, text: "what's the status?" },
      { peer: { kind: "group", id: "#ops" }, mentioned: true, text: `has anyone asked ${nick} yet?` },
      { peer: { kind: "group", id: "#ops" }, mentioned: true, text: `/me waves at ${nick}` },
    ]);
    expect(new Set(sink.messages.map((message) => message.messageId)).size).toBe(4);
  });

  it("sends rendered text to a nick and to a channel", async () => {
    const alice = await user("alice");
    const { account, nick } = await startAccount();
    await alice.waitFor(joinedBy(alice, nick, "#ops"));
    const direct = await account.send(
      { peer: { kind: "direct", id: alice.nick } },
      "**Hi** there, see [docs](https://x.test)",
    );
    await account.send({ peer: { kind: "group", id: "#ops" } }, "`ready`\n\nfor _work_");
    await alice.waitFor(() => alice.messages().length === 3);
    expect(alice.messages()).toEqual([
      { from: nick, target: alice.nick, text: "Hi there, see docs (https://x.test)" },
      { from: nick, target: "#ops", text: "ready" },
      { from: nick, target: "#ops", text: "for work" },
    ]);
    expect(direct.messageId).toMatch(/\S/);
  });

  it("splits a long multibyte reply into relayed lines of at most 512 bytes, none broken", async () => {
    const alice = await user("alice");
    const { account, nick } = await startAccount();
    await alice.waitFor(joinedBy(alice, nick, "#ops"));
    const vocabulary = ["café", "😀", "漢字テスト", "naïve", "résumé", "東京", "🎉ok", "plain"];
    const words: string[] = [];
    while (Buffer.byteLength(words.join(" ")) < 3_000)
      words.push(`${vocabulary[words.length % vocabulary.length]}${words.length}`);

    await account.send({ peer: { kind: "group", id: "#ops" } }, words.join(" "));
    const fromBot = () => alice.messages().filter((message) => message.from === nick);
    await alice.waitFor(() => fromBot().flatMap((message) => message.text.split(" ")).length >= words.length);

    const relayed = alice.rawLineBytes().filter((bytes) => bytes.toString("utf8").startsWith(`:${nick}!`));
    const privmsgs = relayed.filter((bytes) => bytes.includes(" PRIVMSG #ops :"));
    expect(privmsgs.length).toBeGreaterThanOrEqual(7);
    const strict = new TextDecoder("utf-8", { fatal: true });
    for (const bytes of privmsgs) {
      expect(bytes.length).toBeLessThanOrEqual(512);
      expect(bytes.subarray(-2).toString()).toBe("\r\n");
      expect(() => strict.decode(bytes)).not.toThrow();
    }
    expect(
      fromBot()
        .map((message) => message.text)
        .join(" ")
        .split(" "),
    ).toEqual(words);
  });

  it("paces lines through flood control, in order", async () => {
    const alice = await user("alice");
    const { account, nick } = await startAccount({ flood: { burst: 4, intervalMs: 200 } });
    await alice.waitFor(joinedBy(alice, nick, "#ops"));
    const lines = Array.from({ length: 10 }, (_, index) => `line ${index + 1}`);
    const started = Date.now();
    await account.send({ peer: { kind: "group", id: "#ops" } }, lines.join("\n"));
    const elapsed = Date.now() - started;
    await alice.waitFor(() => alice.messages().length === 10);
    expect(elapsed).toBeGreaterThanOrEqual(1_100);
    expect(alice.messages().map((message) => message.text)).toEqual(lines);
  });

  it("warns, and keeps going, when a message cannot be stored", async () => {
    const { sink, nick } = await startAccount();
    const alice = await user("alice");
    sink.refuseDeliveries(true);
    alice.say(nick, "lost one");
    await sink.waitFor(() => sink.warnings.length === 1);
    expect(sink.warnings[0]!.message).toMatch(/cannot redeliver/);
    sink.refuseDeliveries(false);
    alice.say(nick, "kept one");
    await sink.waitFor(() => sink.messages.length === 1);
    expect(sink.messages[0]!.text).toBe("kept one");
    expect(sink.failures).toEqual([]);
  });

  it("stops within a second and rejects queued lines as retryable", async () => {
    const alice = await user("alice");
    const { account, nick } = await startAccount({ flood: { burst: 1, intervalMs: 5_000 } });
    await alice.waitFor(joinedBy(alice, nick, "#ops"));
    const sending = account.send({ peer: { kind: "group", id: "#ops" } }, "one\ntwo\nthree");
    sending.catch(() => {});
    await alice.waitFor(() => alice.messages().length === 1);
    const started = Date.now();
    await account.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    const error = await sending.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ChannelSendError);
    expect((error as ChannelSendError).retryable).toBe(true);
    await alice.waitFor(() =>
      alice.rawLines().some((line) => line.startsWith(`:${nick}!`) && / QUIT /.test(line)),
    );
    await expect(account.send({ peer: { kind: "group", id: "#ops" } }, "late")).rejects.toMatchObject({
      code: "OC_ERR_CHANNEL_SEND",
      retryable: true,
    });
  });

  it("refuses targets that would inject a command or post where not asked", async () => {
    const { account } = await startAccount();
    for (const peer of [
      { kind: "direct" as const, id: "alice\r\nQUIT" },
      { kind: "direct" as const, id: "alice,bob" },
      { kind: "direct" as const, id: "#ops" },
      { kind: "group" as const, id: "alice" },
    ]) {
      await expect(account.send({ peer }, "hi")).rejects.toMatchObject({
        code: "OC_ERR_CHANNEL_SEND",
        retryable: false,
      });
    }
    await expect(account.send({ peer: { kind: "direct", id: "alice" } }, "\x00\x01")).rejects.toMatchObject({
      retryable: false,
    });
    await expect(account.edit({ peer: { kind: "direct", id: "alice" } }, "1", "x")).rejects.toBeInstanceOf(
      ChannelSendError,
    );
    await expect(account.typing({ peer: { kind: "direct", id: "alice" } })).resolves.toBeUndefined();
    expect(account.capabilities).toEqual({ edit: false, typing: false });
  });

  it("identifies to NickServ after connecting, without logging the password", async () => {
    const nickserv = await connectUser({ port: server.port, nick: "NickServ" });
    cleanups.push(() => nickserv.quit());
    const logs: string[] = [];
    const { nick } = await startAccount({
      nickservPassword: "nickserv-secret-42",
      log: (level, message, details) => logs.push(`${level} ${message} ${JSON.stringify(details)}`),
    });
    await nickserv.waitFor(() => nickserv.messages().some((message) => message.from === nick));
    expect(nickserv.messages()).toContainEqual({
      from: nick,
      target: "NickServ",
      text: "IDENTIFY nickserv-secret-42",
    });
    expect(logs.join("\n")).not.toContain("nickserv-secret-42");
  });

  it("rejects start when the nick is taken", async () => {
    const taken = await user("taken");
    const account = createIrcAccount({
      accountId: "default",
      host: "127.0.0.1",
      port: server.port,
      tls: false,
      nick: taken.nick,
      channels: [],
    });
    cleanups.push(() => account.stop());
    await expect(account.start(recordingSink())).rejects.toMatchObject({ code: "OC_ERR_CHANNEL_CONNECT" });
  });
});

describe("IRC account across a server restart", () => {
  let restartable: NgircdServer;
  beforeAll(async () => {
    restartable = await startNgircd();
  });
  afterAll(async () => {
    await restartable?.stop();
  });

  it("fails the sink once when the server goes away, then starts again", async () => {
    const { account, sink, nick } = await startAccount({}, restartable);
    await restartable.restart();
    await sink.waitFor(() => sink.failures.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sink.failures).toHaveLength(1);
    expect(isOpenClawError(sink.failures[0]) && sink.failures[0].code).toBe("OC_ERR_CHANNEL_CONNECT");
    await expect(account.send({ peer: { kind: "direct", id: "alice" } }, "hi")).rejects.toMatchObject({
      retryable: true,
    });

    await account.stop();
    const nextSink = recordingSink();
    await expect(account.start(nextSink)).resolves.toEqual({ id: nick, username: nick });
    const alice = await user("alice", ["#ops"], restartable.port);
    alice.say(nick, "are you back?");
    await nextSink.waitFor(() => nextSink.messages.length === 1);
    expect(nextSink.messages[0]).toMatchObject({
      peer: { kind: "direct", id: alice.nick },
      text: "are you back?",
    });
    await account.send({ peer: { kind: "direct", id: alice.nick } }, "yes");
    await alice.waitFor(() => alice.messages().some((message) => message.text === "yes"));
    expect(sink.messages).toEqual([]);
  });
});

describe("IRC account with a server password", () => {
  let guarded: NgircdServer;
  beforeAll(async () => {
    guarded = await startNgircd({ password: "correct-horse-battery" });
  });
  afterAll(async () => {
    await guarded?.stop();
  });

  it("refuses a wrong password as an auth error that never shows the password", async () => {
    const logs: string[] = [];
    const account = createIrcAccount({
      accountId: "work",
      host: "127.0.0.1",
      port: guarded.port,
      tls: false,
      nick: uniqueNick("claw"),
      channels: ["#ops"],
      serverPassword: "wrong-secret-value",
      log: (level, message, details) => logs.push(`${level} ${message} ${JSON.stringify(details)}`),
    });
    cleanups.push(() => account.stop());
    const error = await account.start(recordingSink()).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(isOpenClawError(error) && error.code).toBe("OC_ERR_CHANNEL_AUTH");
    const everything = isOpenClawError(error)
      ? [error.message, error.describe(), error.stack ?? "", JSON.stringify(error), String(error.cause ?? "")]
      : [];
    for (const text of [...everything, ...logs]) expect(text).not.toContain("wrong-secret-value");
  });

  it("connects with the right password", async () => {
    await startAccount({ serverPassword: "correct-horse-battery" }, guarded);
  });
});
