import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegramBotApi } from "../../src/channels/telegram/testing/fake-telegram-bot-api.js";
import { FakeOpenAIServer } from "../../src/models/testing/fake-openai-server.js";
import { BotApiRelay } from "./bot-api-relay.js";
import { agentOnFakeOpenAI } from "./channel-gateway.js";
import { type GatewayCluster, startGatewayCluster } from "./cluster-setup.js";
import { type RunningGateway, waitFor } from "./harness.js";
import { BOT_TOKEN, unescapeHtml, userTexts } from "./telegram-setup.js";

const REPLICAS = 3;
/** The account's leader lease and a standby's retry interval (account-leader.ts defaults). */
const LEADER_TTL_MS = 10_000;
const LEADER_RETRY_MS = 2_000;
/** Room for three gateways, PostgreSQL and the runner on two shared cores. */
const SCHEDULING_SLACK_MS = 3_000;

/** Well under a reply's streaming time (14 chunks × 60 ms): a turn this young has sent nothing. */
const MID_STREAM_MS = 400;

const BEFORE_KILL = 20;
const DURING_KILL = 20;
const AFTER_KILL = 15;
const MESSAGES = BEFORE_KILL + DURING_KILL + AFTER_KILL;

async function channelStates(gateway: RunningGateway): Promise<string[]> {
  const response = await fetch(`${gateway.url}/__openclaw__/channels`, { headers: gateway.headers });
  const { channels } = (await response.json()) as { channels: { state: string }[] };
  return channels.map((channel) => channel.state);
}

/**
 * Three gateway processes on one PostgreSQL with the same Telegram long-polling account. Each
 * gateway's `apiRoot` is its own relay to one fake Bot API (the only difference between their
 * configs), so the test sees which gateway polls. One gateway leads the account; SIGKILLed, another
 * takes over once its lease lapses and finishes what the dead one fetched but did not answer.
 */
describe("cluster: a Telegram polling account on three gateways", () => {
  let bot: FakeTelegramBotApi;
  let provider: FakeOpenAIServer;
  let relays: BotApiRelay[];
  let cluster: GatewayCluster;
  /** When the model first saw each message (its turn started streaming). */
  const turnStartedAt = new Map<string, number>();

  beforeAll(async () => {
    bot = new FakeTelegramBotApi({ token: BOT_TOKEN, botUsername: "claw_bot" });
    const { apiRoot } = await bot.start();
    // 14 chunks, 60 ms apart: a reply streams for at least 840 ms, so a kill lands mid-turn.
    provider = new FakeOpenAIServer({
      chunkDelayMs: 60,
      respond: (request) => {
        const text = userTexts(request.body).at(-1) as string;
        if (!turnStartedAt.has(text)) turnStartedAt.set(text, Date.now());
        return { type: "text", text: `You said: ${text} and that is all I have to say about it` };
      },
    });
    const { baseUrl } = await provider.start();
    relays = Array.from({ length: REPLICAS }, () => new BotApiRelay());
    const roots = await Promise.all(relays.map((relay) => relay.start(apiRoot)));
    cluster = await startGatewayCluster({
      count: REPLICAS,
      prepare: (sharedDir) => writeFile(join(sharedDir, "telegram.token"), `${BOT_TOKEN}\n`, { mode: 0o600 }),
      config: (index, sharedDir) => ({
        ...agentOnFakeOpenAI(baseUrl),
        // One session per user: the turns of different users run side by side.
        session: { dmScope: "per-channel-peer" },
        channels: {
          telegram: {
            botToken: { $secret: "telegram-bot" },
            apiRoot: roots[index]?.apiRoot,
            pollTimeoutSeconds: 1,
            dmPolicy: "open",
            allowFrom: ["*"],
            streaming: "off",
          },
        },
        externalSecrets: { "telegram-bot": { source: "file", path: join(sharedDir, "telegram.token") } },
      }),
    });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    for (const relay of relays ?? []) await relay.stop();
    await bot?.stop();
    await provider?.close();
  });

  const userOf = (index: number) => ({ id: 5000 + index, first_name: `User${index}` });
  const send = (index: number) =>
    bot.userSends({
      chat: { id: userOf(index).id, type: "private" },
      from: userOf(index),
      text: `message ${index}`,
    });
  const repliesTo = (index: number) =>
    bot
      .sent()
      .filter((entry) => entry.method === "sendMessage" && entry.chatId === String(userOf(index).id))
      .filter((entry) => unescapeHtml(entry.text).startsWith(`You said: message ${index} `));
  const modelRequestsFor = (index: number) =>
    provider.requests.filter((request) => userTexts(request.body).at(-1) === `message ${index}`).length;
  const pollers = (since = 0) =>
    relays
      .map((relay, index) => ({ index, polls: relay.count("getupdates", since) }))
      .filter((entry) => entry.polls > 0);
  const conflicts = () => relays.flatMap((relay) => relay.calls).filter((call) => call.status === 409).length;

  let leader = -1;

  it("only one gateway polls the account; the others stand by", async () => {
    const since = Date.now();
    // Past two standby retries, so the other gateways have each tried for the lease again.
    await waitFor(() => pollers(since).some((entry) => entry.polls >= 3), 20_000);
    await new Promise((resolve) => setTimeout(resolve, LEADER_RETRY_MS + 500));
    const polling = pollers();
    expect(polling).toHaveLength(1);
    leader = polling[0]?.index as number;
    const states = await Promise.all(
      cluster.replicas.map((replica) => channelStates(cluster.gateway(replica.index))),
    );
    expect(states).toEqual(states.map((_, index) => (index === leader ? ["ready"] : ["standby"])));
    expect(conflicts()).toBe(0);
  }, 60_000);

  it(`a SIGKILLed leader is replaced within its lease; each of ${MESSAGES} messages gets one reply`, async () => {
    expect(leader).toBeGreaterThanOrEqual(0);
    for (let index = 0; index < BEFORE_KILL; index++) send(index);
    await bot.waitFor(
      () =>
        Array.from({ length: BEFORE_KILL }, (_, index) => index).every(
          (index) => repliesTo(index).length >= 1,
        ),
      60_000,
    );

    // The kill lands while the leader has fetched the next messages (their offset confirmed: the
    // Bot API will not give them again) and their turns are streaming or queued: only the shared
    // inbox knows they still need a reply. It lands before any of those turns could have finished
    // streaming: a kill between a reply's send and its sent-mark would resend that one reply
    // (Telegram has no idempotent send), which is not what this test is about.
    const during = Array.from({ length: DURING_KILL }, (_, offset) => BEFORE_KILL + offset);
    for (const index of during) send(index);
    await bot.waitFor(() => {
      const started = during.flatMap((index) => turnStartedAt.get(`message ${index}`) ?? []);
      return started.length >= 3 && Date.now() - Math.min(...started) < MID_STREAM_MS;
    }, 30_000);
    const answeredBeforeKill = during.filter((index) => repliesTo(index).length > 0).length;
    const killedAt = Date.now();
    await cluster.kill(leader);
    for (let offset = 0; offset < AFTER_KILL; offset++) send(BEFORE_KILL + DURING_KILL + offset);

    const successor = await waitFor(() => pollers(killedAt).find((entry) => entry.index !== leader), 30_000);
    const takeoverMs =
      (relays[successor.index]?.calls.find((call) => call.method === "getupdates" && call.at >= killedAt)
        ?.at as number) - killedAt;
    expect(takeoverMs).toBeLessThanOrEqual(LEADER_TTL_MS + LEADER_RETRY_MS + SCHEDULING_SLACK_MS);

    const all = Array.from({ length: MESSAGES }, (_, index) => index);
    await bot.waitFor(() => all.every((index) => repliesTo(index).length >= 1), 90_000);
    // Room for a second reply to show up, were one coming.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const counts = all.map((index) => repliesTo(index).length);
    for (const index of all.filter((candidate) => repliesTo(candidate).length > 1)) {
      const times = repliesTo(index).map((entry) => entry.at - killedAt);
      console.log(`message ${index}: replies at ${JSON.stringify(times)} ms from the kill`);
    }
    console.log(
      `cluster channels e2e: takeover ${takeoverMs} ms after kill -9, ${answeredBeforeKill} of ${DURING_KILL} answered before it, replies per message ${JSON.stringify(counts)}`,
    );
    // Leadership changes as each gateway logged them: what to read when the counts are off.
    for (const replica of cluster.replicas) {
      const changes = replica
        .output()
        .split("\n")
        .filter((line) =>
          /leader lease|leads the channel account|channel account connected|standing by|degraded/i.test(line),
        );
      console.log(
        `replica ${replica.index}${replica.index === leader ? " (killed)" : ""}:\n${changes.join("\n")}`,
      );
    }
    expect(answeredBeforeKill).toBeLessThan(DURING_KILL);
    expect(counts).toEqual(all.map(() => 1));
    // Some turns were cut by the kill and run again by the successor.
    expect(during.some((index) => modelRequestsFor(index) >= 2)).toBe(true);
    // From the takeover on, one gateway polls: the successor; the third stayed standing by.
    expect(pollers(killedAt).map((entry) => entry.index)).toEqual([successor.index]);
    const survivors = cluster.replicas.filter((replica) => replica.index !== leader);
    const states = await Promise.all(
      survivors.map((replica) => channelStates(cluster.gateway(replica.index))),
    );
    expect(states.flat().sort()).toEqual(["ready", "standby"]);
    expect(conflicts()).toBe(0);
  }, 180_000);
});
