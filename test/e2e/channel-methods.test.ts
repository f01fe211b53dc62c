import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useGateway, waitFor } from "./harness.js";
import { conformsTo } from "./protocol-schemas.js";
import { pairingCodeSentTo, startTelegramGateway, type TelegramGateway } from "./telegram-setup.js";
import { type Frame, TestWsClient } from "./ws-client.js";

/** `payload` of an ok answer, else the error in the failure message. */
function payloadOf(frame: Frame): Record<string, unknown> {
  expect(frame.ok, JSON.stringify(frame.error)).toBe(true);
  return frame.payload ?? {};
}

/**
 * `channels.status` and `channels.pairing.*` over a real WebSocket, each answer checked against
 * the published protocol's Result schema: first with no channel configured, then with a Telegram
 * account long-polling a fake Bot API that plays the users.
 */
describe("channel methods without channels", () => {
  const ctx = useGateway({ gateway: { auth: { mode: "token" } } });
  const connect = async (scopes?: string[]) => {
    const token = (await readFile(join(ctx.home.stateDir, "gateway-token"), "utf8")).trim();
    return TestWsClient.connect(ctx.url, { auth: { token }, ...(scopes ? { scopes } : {}) });
  };

  it("answers empty results that validate", async () => {
    const { client } = await connect(["operator.read", "operator.pairing"]);
    const status = payloadOf(await client.request("channels.status", { probe: true }));
    expect(conformsTo.channelsStatusResult(status)).toEqual([]);
    expect(status).toMatchObject({ channelOrder: [], channelAccounts: {}, channelDefaultAccountId: {} });
    const list = payloadOf(await client.request("channels.pairing.list", {}));
    expect(conformsTo.channelsPairingListResult(list)).toEqual([]);
    expect(list).toEqual({
      accounts: [],
      requests: [],
      commandOwnerConfigured: false,
      limits: { pendingPerAccount: 3, ttlMs: 3_600_000 },
    });
    client.close();
  });

  it("refuses pairing without operator.pairing, bad params, and an account that does not pair", async () => {
    const { client } = await connect(["operator.read"]);
    expect((await client.request("channels.status")).ok).toBe(true);
    for (const method of ["channels.pairing.list", "channels.pairing.approve", "channels.pairing.dismiss"]) {
      const denied = await client.request(method, {
        channel: "telegram",
        accountId: "default",
        requestId: "X",
      });
      expect(denied.error?.details?.missingScope, method).toBe("operator.pairing");
    }
    client.close();
    const { client: pairing } = await connect(["operator.pairing"]);
    const missing = await pairing.request("channels.pairing.approve", {
      channel: "telegram",
      requestId: "X",
    });
    expect(missing.error).toMatchObject({
      code: "INVALID_REQUEST",
      message: expect.stringMatching(/^invalid channels\.pairing\.approve params: .*accountId/),
    });
    const extra = await pairing.request("channels.pairing.list", { bogus: 1 });
    expect(extra.error?.message).toMatch(/^invalid channels\.pairing\.list params: /);
    const none = await pairing.request("channels.pairing.dismiss", {
      channel: "telegram",
      accountId: "default",
      requestId: "ABCDEFGH",
    });
    expect(none.error).toMatchObject({
      code: "INVALID_REQUEST",
      message: expect.stringMatching(/^channel account does not use DM pairing: telegram:default/),
    });
    pairing.close();
  });
});

describe("channel methods with a Telegram account", () => {
  let running: TelegramGateway;
  let client: TestWsClient;
  const alice = { id: 4242, first_name: "Alice", username: "alice_test" };
  const bob = { id: 5151, first_name: "Bob" };
  const dm = (from: { id: number; first_name: string; username?: string }, text: string) =>
    running.bot.userSends({ chat: { id: from.id, type: "private" }, from, text });
  const codeFor = (chatId: number) => waitFor(() => pairingCodeSentTo(running.bot, chatId), 15_000);
  const pendingList = async () =>
    payloadOf(await client.request("channels.pairing.list", { channel: "telegram" }));

  beforeAll(async () => {
    running = await startTelegramGateway({ extra: { gateway: { auth: { mode: "token" } } } });
    const token = (await readFile(join(running.home.stateDir, "gateway-token"), "utf8")).trim();
    ({ client } = await TestWsClient.connect(running.gateway.url, {
      auth: { token },
      scopes: ["operator.read", "operator.pairing"],
    }));
  }, 60_000);
  afterAll(async () => {
    client?.close();
    await running?.stop();
  });

  it("reports the account ready in channels.status, in the protocol's shape", async () => {
    const status = await waitFor(async () => {
      const payload = payloadOf(await client.request("channels.status"));
      const [account] = (payload.channelAccounts as Record<string, { connected?: boolean }[]>).telegram ?? [];
      return account?.connected ? payload : undefined;
    }, 15_000);
    expect(conformsTo.channelsStatusResult(status)).toEqual([]);
    expect(status).toMatchObject({
      channelOrder: ["telegram"],
      channelLabels: { telegram: "Telegram" },
      channelDefaultAccountId: { telegram: "default" },
      channels: { telegram: { configured: true, running: true, connected: true, lastError: null } },
    });
    expect((status.channelAccounts as Record<string, unknown[]>).telegram?.[0]).toMatchObject({
      accountId: "default",
      healthState: "ready",
      state: "ready",
      dmPolicy: "pairing",
      identity: { username: "claw_bot" },
      inboxDepth: 0,
    });
    const filtered = payloadOf(await client.request("channels.status", { channel: "irc" }));
    expect(filtered.channelOrder).toEqual([]);
  });

  it("lists a DM's pairing request with its code as the request id, and dismisses it", async () => {
    dm(bob, "hello?");
    const code = await codeFor(bob.id);
    const list = await pendingList();
    expect(conformsTo.channelsPairingListResult(list)).toEqual([]);
    expect(list.accounts).toEqual([
      { channel: "telegram", channelLabel: "Telegram", accountId: "default", notifySupported: true },
    ]);
    const requests = list.requests as Record<string, unknown>[];
    expect(requests).toEqual([
      expect.objectContaining({
        requestId: code,
        channel: "telegram",
        accountId: "default",
        senderId: String(bob.id),
        senderLabel: "Bob",
        metadata: { name: "Bob" },
        notifySupported: true,
      }),
    ]);
    const request = requests[0] as { createdAt: string; expiresAt: string };
    expect(Date.parse(request.expiresAt) - Date.parse(request.createdAt)).toBe(3_600_000);

    const dismissed = payloadOf(
      await client.request("channels.pairing.dismiss", {
        channel: "telegram",
        accountId: "default",
        requestId: code,
      }),
    );
    expect(conformsTo.channelsPairingDismissResult(dismissed)).toEqual([]);
    expect(dismissed).toEqual({ requestId: code, senderId: String(bob.id) });
    expect((await pendingList()).requests).toEqual([]);
    const again = await client.request("channels.pairing.dismiss", {
      channel: "telegram",
      accountId: "default",
      requestId: code,
    });
    expect(again.error).toMatchObject({ code: "INVALID_REQUEST" });
  });

  it("approves with notify: the sender is told, and the next DM gets a turn's reply", async () => {
    dm(alice, "let me in");
    const code = await codeFor(alice.id);
    const [request] = (await pendingList()).requests as Record<string, unknown>[];
    expect(request).toMatchObject({
      requestId: code,
      senderLabel: "Alice",
      metadata: { name: "Alice", username: "alice_test" },
    });
    const wrongAccount = await client.request("channels.pairing.approve", {
      channel: "telegram",
      accountId: "work",
      requestId: code,
    });
    expect(wrongAccount.error?.message).toMatch(/^channel account does not use DM pairing: telegram:work/);

    const approved = payloadOf(
      await client.request("channels.pairing.approve", {
        channel: "telegram",
        accountId: "default",
        requestId: code,
        notify: true,
        bootstrapCommandOwner: true,
      }),
    );
    expect(conformsTo.channelsPairingApproveResult(approved)).toEqual([]);
    expect(approved).toEqual({
      requestId: code,
      senderId: String(alice.id),
      notification: "sent",
      commandOwnerBootstrap: "unavailable",
    });
    expect((await pendingList()).requests).toEqual([]);
    expect(running.bot.sent().some((entry) => entry.text.includes("You are approved"))).toBe(true);

    dm(alice, "now answer me");
    await running.bot.waitFor(
      () => running.bot.sent().some((entry) => entry.text.includes("You said: now answer me")),
      15_000,
    );
    const twice = await client.request("channels.pairing.approve", {
      channel: "telegram",
      accountId: "default",
      requestId: code,
    });
    expect(twice.error?.code).toBe("INVALID_REQUEST");
  });
});
