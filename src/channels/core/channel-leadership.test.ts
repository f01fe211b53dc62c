import { afterEach, describe, expect, it } from "vitest";
import type { ChannelInboxStore } from "../../storage/channel-inbox-store.js";
import { createMemoryStorage, MemoryLocation } from "../../storage/index.js";
import type { RunLock } from "../../storage/run-lock.js";
import { FakeChannelAccount } from "../testing/fake-channel-account.js";
import { accountPolicy } from "./account-policy.js";
import type { InboundMessage } from "./channel-account.js";
import type { ChannelPlatform } from "./channel-platform.js";
import { ChannelService } from "./channel-service.js";

const TTL_MS = 150;
const RETRY_MS = 20;

const services: ChannelService[] = [];
const releases: (() => void)[] = [];
afterEach(async () => {
  for (const release of releases.splice(0)) release();
  await Promise.all(services.splice(0).map((service) => service.stop()));
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A lock that can "die" with its gateway: it then never renews, and never gives anything back. */
function mortalLock(lock: RunLock) {
  let dead = false;
  const mortal: RunLock = {
    acquire: (key, ttlMs) => (dead ? Promise.resolve(null) : lock.acquire(key, ttlMs)),
    extend: (lease, ttlMs) => (dead ? new Promise<boolean>(() => {}) : lock.extend(lease, ttlMs)),
    release: (lease) => (dead ? Promise.resolve() : lock.release(lease)),
  };
  return { lock: mortal, kill: () => (dead = true) };
}

interface Replica {
  service: ChannelService;
  account: FakeChannelAccount;
  kill(): void;
  /** Turns hang on this replica from now on (it is being killed mid-turn). */
  hangTurns(): void;
}

/** `count` gateways on one memory location, each with its own fake account for `fake:default`. */
function cluster(count: number, options: { needsLeader?: boolean } = {}): Replica[] {
  const location = new MemoryLocation();
  return Array.from({ length: count }, () => {
    const storage = createMemoryStorage(location);
    const account = new FakeChannelAccount();
    const mortal = mortalLock(storage.runLock);
    let hang: Promise<void> | undefined;
    const platform: ChannelPlatform = {
      id: "fake",
      accounts: () => [
        {
          accountId: "default",
          policy: accountPolicy({ dmPolicy: "open", allowFrom: ["*"] }, undefined),
          preview: false,
          fingerprint: "1",
          secrets: [],
          create: () => account,
          ...(options.needsLeader !== undefined ? { needsLeader: options.needsLeader } : {}),
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
        channels: { fake: {} },
        bindings: [],
        dmScope: "per-channel-peer",
        groupScope: "per-group",
        defaultAgentId: "main",
      }),
      turns: {
        run: async (request) => {
          if (hang) await hang;
          return { text: `echo: ${request.text}` };
        },
      },
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
      backoff: { baseMs: 10, maxMs: 40 },
      leadership: { lock: mortal.lock, ttlMs: TTL_MS, retryMs: RETRY_MS },
    });
    services.push(service);
    return {
      service,
      account,
      kill: mortal.kill,
      hangTurns: () => {
        hang = new Promise((resolve) => releases.push(() => resolve()));
      },
    };
  });
}

const polling = (replicas: Replica[]) => replicas.filter((replica) => replica.account.sink !== undefined);
const states = async (replicas: Replica[]) =>
  Promise.all(replicas.map(async (replica) => (await replica.service.status())[0]?.state));

describe("channel account leaders in a cluster", () => {
  it("runs a polling account on exactly one gateway; the others stand by", async () => {
    const replicas = cluster(3);
    await Promise.all(replicas.map((replica) => replica.service.start()));
    await until(() => polling(replicas).length === 1);
    // Several renewals and retries later, still one.
    await pause(TTL_MS * 3);
    expect(polling(replicas)).toHaveLength(1);
    expect(replicas.reduce((starts, replica) => starts + replica.account.starts, 0)).toBe(1);
    expect((await states(replicas)).sort()).toEqual(["ready", "standby", "standby"]);
  });

  it("hands the account over when the leader stops, and when it dies without a word", async () => {
    const replicas = cluster(3);
    await Promise.all(replicas.map((replica) => replica.service.start()));
    await until(() => polling(replicas).length === 1);
    const first = polling(replicas)[0]!;
    await first.service.stop();
    await until(() => polling(replicas).length === 1);
    const second = polling(replicas)[0]!;
    expect(second).not.toBe(first);
    // Killed: it stops renewing (and polling), the lease lapses, a third one takes over.
    second.kill();
    await second.account.stop();
    await until(() => polling(replicas).length === 1);
    const third = polling(replicas)[0]!;
    expect([first, second]).not.toContain(third);
  });

  it("answers every message exactly once around a leader killed mid-turn", async () => {
    const replicas = cluster(2);
    await Promise.all(replicas.map((replica) => replica.service.start()));
    await until(() => polling(replicas).length === 1);
    const old = polling(replicas)[0]!;
    const next = replicas.find((replica) => replica !== old)!;
    const message = (index: number) => ({ messageId: `u${index}`, senderId: String(100 + (index % 5)) });
    for (let index = 0; index < 10; index++) await old.account.receive(`before ${index}`, message(index));
    await old.service.idle();
    // Killed with turns in flight: these were stored and started, never answered.
    old.hangTurns();
    for (let index = 10; index < 15; index++) await old.account.receive(`during ${index}`, message(index));
    old.kill();
    const cut = old.account.sink!;
    await old.account.stop();
    await until(() => next.account.sink !== undefined);
    // The platform delivers again what the old leader never confirmed, then new messages.
    for (let index = 5; index < 25; index++) {
      await next.account.receive(`${index < 15 ? "again" : "after"} ${index}`, message(index));
    }
    await until(async () => next.account.sent.length >= 15);
    await next.service.idle();
    expect(cut).toBeDefined();
    const replies = [...old.account.sent, ...next.account.sent].map((sent) => sent.text);
    expect(replies).toHaveLength(25);
    for (let index = 0; index < 25; index++) {
      const expected = index < 10 ? `before ${index}` : index < 15 ? `during ${index}` : `after ${index}`;
      expect(replies.filter((reply) => reply === `echo: ${expected}`)).toHaveLength(1);
    }
  });

  it("runs a webhook-mode account on every gateway", async () => {
    const replicas = cluster(3, { needsLeader: false });
    await Promise.all(replicas.map((replica) => replica.service.start()));
    await until(() => polling(replicas).length === 3);
    expect(await states(replicas)).toEqual(["ready", "ready", "ready"]);
  });
});
