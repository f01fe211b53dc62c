import { afterEach, describe, expect, it } from "vitest";
import type { ChannelInboxStore } from "../../storage/channel-inbox-store.js";
import { createMemoryStorage, MemoryLocation, type Storage } from "../../storage/index.js";
import { FakeChannelAccount } from "../testing/fake-channel-account.js";
import { accountPolicy, type PolicyFields } from "./account-policy.js";
import type { InboundMessage } from "./channel-account.js";
import { ChannelSendError } from "./channel-errors.js";
import type { ChannelPlatform } from "./channel-platform.js";
import { ChannelService } from "./channel-service.js";
import type { ChannelTurns } from "./message-dispatcher.js";

interface Harness {
  service: ChannelService;
  account: FakeChannelAccount;
  turns: { sessionKey: string; agentId: string; text: string }[];
  storage: Storage;
}

const services: ChannelService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.stop()));
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function harness(
  options: {
    policy?: PolicyFields;
    location?: MemoryLocation;
    account?: FakeChannelAccount;
    turns?: ChannelTurns;
    channelConfig?: Record<string, unknown>;
    now?: () => number;
    bindings?: {
      agentId: string;
      match: { channel: string; accountId?: string; peer?: { kind: "direct"; id: string } };
    }[];
  } = {},
): Harness {
  const account = options.account ?? new FakeChannelAccount();
  const storage = createMemoryStorage(
    options.location ?? new MemoryLocation(),
    options.now ? { now: options.now } : {},
  );
  const turns: Harness["turns"] = [];
  const platform: ChannelPlatform = {
    id: "fake",
    accounts: () => [
      {
        accountId: "default",
        policy: accountPolicy(options.policy ?? {}, undefined),
        preview: false,
        fingerprint: "1",
        secrets: ["bot-token"],
        create: () => account,
      },
    ],
    target: (raw) => ({ peer: { kind: "direct", id: raw } }),
  };
  const service = new ChannelService({
    platforms: [platform],
    inbox: storage.channelInbox as ChannelInboxStore<InboundMessage>,
    pairing: storage.channelPairing,
    context: { credential: () => undefined, secretFile: () => "", log: () => undefined },
    settings: () => ({
      channels: { fake: options.channelConfig ?? {} },
      bindings: options.bindings ?? [],
      dmScope: "per-channel-peer",
      groupScope: "per-group",
      defaultAgentId: "main",
    }),
    turns: options.turns ?? {
      run: async (request) => {
        turns.push({ sessionKey: request.sessionKey, agentId: request.agentId, text: request.text });
        return { text: `echo: ${request.text}` };
      },
    },
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    backoff: { baseMs: 10, maxMs: 40 },
    ...(options.now ? { now: options.now } : {}),
  });
  services.push(service);
  return { service, account, turns, storage };
}

describe("ChannelService", () => {
  it("offers an unknown sender a code, runs no turn, and answers once approved", async () => {
    const { service, account, turns } = harness();
    await service.start();
    await until(() => account.sink !== undefined);
    await account.receive("hello");
    await service.idle();
    expect(turns).toEqual([]);
    expect(account.sent).toHaveLength(1);
    const code = /Pairing code: ([A-Z2-9]{8})/.exec(account.sent[0]?.text ?? "")?.[1];
    expect(code).toMatch(/^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/);
    // A second message while pending: no second code.
    await account.receive("hello again");
    await service.idle();
    expect(account.sent).toHaveLength(1);
    const { approved, notified } = await service.approvePairing({
      channel: "fake",
      code: (code as string).toLowerCase(),
      notify: true,
    });
    expect(approved.senderId).toBe("42");
    expect(notified).toBe(true);
    await account.receive("now?");
    await service.idle();
    expect(turns).toEqual([{ agentId: "main", sessionKey: "agent:main:fake:direct:42", text: "now?" }]);
    expect(account.sent.at(-1)?.text).toBe("echo: now?");
  });

  it("routes by binding to its agent and session", async () => {
    const { service, account, turns } = harness({
      policy: { dmPolicy: "open", allowFrom: ["*"] },
      bindings: [
        { agentId: "ops", match: { channel: "fake" } },
        { agentId: "vip", match: { channel: "fake", peer: { kind: "direct", id: "7" } } },
      ],
    });
    await service.start();
    await until(() => account.sink !== undefined);
    await account.receive("a", { senderId: "7" });
    await account.receive("b", { senderId: "8" });
    await service.idle();
    expect(turns.map((turn) => `${turn.agentId} ${turn.sessionKey}`).sort()).toEqual([
      "ops agent:ops:fake:direct:8",
      "vip agent:vip:fake:direct:7",
    ]);
  });

  it("waits out a retry-after, loses nothing, and keeps one conversation's replies in order", async () => {
    const { service, account } = harness({ policy: { dmPolicy: "open", allowFrom: ["*"] } });
    await service.start();
    await until(() => account.sink !== undefined);
    account.failSends(new ChannelSendError("429: Too Many Requests", { retryable: true, retryAfterMs: 60 }));
    const startedAt = Date.now();
    for (const text of ["one", "two", "three"]) await account.receive(text);
    await service.idle();
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(55);
    expect(account.sent.map((record) => record.text)).toEqual(["echo: one", "echo: two", "echo: three"]);
  });

  it("resumes after a crash: a turn that was running runs again, a half-sent reply sends only what is left", async () => {
    const location = new MemoryLocation();
    let release: (() => void) | undefined;
    const first = harness({
      location,
      policy: { dmPolicy: "open", allowFrom: ["*"] },
      turns: {
        run: () =>
          new Promise((resolve) => {
            release = () => resolve({ text: "never sent" });
          }),
      },
    });
    await first.service.start();
    await until(() => first.account.sink !== undefined);
    await first.account.receive("long question");
    await until(() => release !== undefined);
    // The "crash": this process's service stops taking part; a new one opens the same state.
    await first.service.stop();
    const second = harness({ location, policy: { dmPolicy: "open", allowFrom: ["*"] } });
    await second.service.start();
    await until(async () => (await second.storage.channelInbox.unfinished()).length === 0);
    expect(second.turns).toEqual([
      { agentId: "main", sessionKey: "agent:main:fake:direct:42", text: "long question" },
    ]);
    expect(second.account.sent.map((record) => record.text)).toEqual(["echo: long question"]);
    const [entry] = await second.storage.channelInbox.unfinished();
    expect(entry).toBeUndefined();

    // A reply of three chunks, two of them sent before the "crash".
    const inbox = second.storage.channelInbox;
    const { added } = await inbox.add([
      {
        channel: "fake",
        accountId: "default",
        messageId: "x",
        peer: { kind: "direct", id: "42" },
        sender: { id: "42" },
        mentioned: true,
        text: "q",
        attachments: [],
        sentAt: 0,
      } as InboundMessage,
    ]);
    const id = added[0]?.id as number;
    await inbox.markRunning(id, { agentId: "main", sessionKey: "agent:main:main" });
    await inbox.setReply(id, ["c1", "c2", "c3"]);
    await inbox.markChunkSent(id, 0, "p1");
    await inbox.markChunkSent(id, 1, "p2");
    await second.service.stop();
    const third = harness({ location, policy: { dmPolicy: "open", allowFrom: ["*"] } });
    await third.service.start();
    await until(async () => (await third.storage.channelInbox.unfinished()).length === 0);
    expect(third.account.sent.map((record) => record.text)).toEqual(["c3"]);
    expect(third.turns).toEqual([]);
  });

  it("marks an account that cannot start degraded with why, and reconnects by itself", async () => {
    const account = new FakeChannelAccount();
    account.startError = new ChannelSendError("401: Unauthorized", { retryable: false });
    const { service } = harness({ account });
    await service.start();
    await until(async () => (await service.status())[0]?.state === "degraded");
    const [status] = await service.status();
    expect(status?.detail).toContain("401: Unauthorized");
    expect(status?.errorCode).toBe("OC_ERR_CHANNEL_SEND");
    account.startError = undefined;
    await until(async () => (await service.status())[0]?.state === "ready");
    expect(account.starts).toBeGreaterThanOrEqual(2);
  });

  it("drops a reply the platform refuses for good, and sends nothing twice", async () => {
    const { service, account, storage } = harness({ policy: { dmPolicy: "open", allowFrom: ["*"] } });
    await service.start();
    await until(() => account.sink !== undefined);
    account.failSends(
      new ChannelSendError("403: Forbidden: bot was blocked by the user", { retryable: false }),
    );
    await account.receive("hi");
    await service.idle();
    expect(account.sent).toEqual([]);
    expect(await storage.channelInbox.unfinished()).toEqual([]);
    expect(await service.status()).toMatchObject([{ state: "ready", inboxDepth: 0 }]);
  });

  it("rebuilds an account once when a secret it reads rotates", async () => {
    const { service, account } = harness({ policy: { dmPolicy: "open", allowFrom: ["*"] } });
    await service.start();
    await until(() => account.sink !== undefined);
    await service.secretRotated("another-secret");
    expect(account.starts).toBe(1);
    await service.secretRotated("bot-token");
    await until(async () => (await service.status())[0]?.state === "ready");
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(account.starts).toBe(2);
    expect(account.stops).toBe(1);
    expect(await service.status()).toHaveLength(1);
  });

  it("sends through the account named, else defaultAccount, else `default`", async () => {
    const { service, account } = harness({ channelConfig: { defaultAccount: "work" } });
    await service.start();
    await until(() => account.sink !== undefined);
    await expect(service.send({ channel: "fake", target: "42", text: "hi" })).rejects.toMatchObject({
      code: "OC_ERR_CHANNEL_UNKNOWN",
      message: 'channel fake has no account "work"',
    });
    await expect(
      service.send({ channel: "fake", accountId: "default", target: "42", text: "hi" }),
    ).resolves.toMatchObject({
      accountId: "default",
      messageIds: ["1"],
    });
    await expect(service.send({ channel: "nope", target: "42", text: "hi" })).rejects.toMatchObject({
      code: "OC_ERR_CHANNEL_UNKNOWN",
    });
  });

  it("forgets finished inbox entries after the retention, at start and hourly", async () => {
    let now = Date.now();
    const { service, account, storage } = harness({ now: () => now });
    await service.start();
    await until(() => account.sink !== undefined);
    for (let index = 0; index < 3; index++)
      await account.receive(`spam ${index}`, { senderId: String(900 + index) });
    await service.idle();
    expect(await service.pruneInbox()).toBe(0);
    now += 8 * 24 * 60 * 60_000;
    expect(await service.pruneInbox()).toBe(3);
    expect(await storage.channelInbox.depth()).toEqual({});
  });
});
