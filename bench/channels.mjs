// bench/channels: 100 Telegram chats at once through the loopback fake Bot API (grammY long
// polling in the gateway, the dev model), timing each message from the moment the update is
// available to the bot to the moment its reply reaches the Bot API (sendMessage). The same
// concurrency over HTTP (/v1/chat/completions) and the model calls' own latency (from the
// gateway's usage ledger) say what the channel path adds.
import { join } from "node:path";
import { AUTH, printTable, REPO_ROOT, startGateway, summarize } from "./gateway-process.mjs";

const CHATS = Number(process.env.BENCH_CHANNEL_CHATS ?? 100);
const ROUNDS = Number(process.env.BENCH_CHANNEL_ROUNDS ?? 5);
const TOKEN = "7301846592:AAE-bench-token-0123456789abcdefghij";

async function httpRound(url) {
  return Promise.all(
    Array.from({ length: CHATS }, async (_, index) => {
      const started = performance.now();
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...AUTH,
          "x-openclaw-session-key": `agent:main:bench-http-${index}`,
        },
        body: JSON.stringify({
          model: "openclaw/main",
          messages: [{ role: "user", content: `http ${index}` }],
        }),
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
      return performance.now() - started;
    }),
  );
}

export async function runChannels() {
  const { FakeTelegramBotApi } = await import(
    join(REPO_ROOT, "dist/channels/telegram/testing/fake-telegram-bot-api.js")
  );
  const bot = new FakeTelegramBotApi({ token: TOKEN, botUsername: "bench_bot" });
  const { apiRoot } = await bot.start();
  process.env.OPENCLAW_BENCH_TELEGRAM = TOKEN;
  const gateway = await startGateway({
    externalSecrets: { telegram: { source: "env", key: "OPENCLAW_BENCH_TELEGRAM" } },
    agents: { main: { threadBound: true, limits: { maxConcurrent: 128, maxQueue: 1024 } } },
    // One session per chat, as a bot with many users is set up (the default shares one).
    session: { dmScope: "per-channel-peer" },
    channels: {
      telegram: {
        botToken: { $secret: "telegram" },
        apiRoot,
        dmPolicy: "open",
        allowFrom: ["*"],
        streaming: "off",
      },
    },
  });
  try {
    const channelSamples = [];
    const httpSamples = [];
    let messageCount = 0;
    const wallStarted = performance.now();
    for (let round = 0; round < ROUNDS + 1; round++) {
      const sentBefore = bot.sent().length;
      const startedAt = new Map();
      for (let chat = 0; chat < CHATS; chat++) {
        const chatId = 10_000 + chat;
        startedAt.set(String(chatId), Date.now());
        bot.userSends({
          chat: { id: chatId, type: "private" },
          from: { id: chatId, first_name: `u${chat}` },
          text: `round ${round} chat ${chat}`,
        });
      }
      await bot.waitFor(() => bot.sent().length - sentBefore >= CHATS, 60_000);
      // Round 0 warms the path (JIT, the first getUpdates); it is not counted.
      if (round === 0) continue;
      for (const entry of bot.sent().slice(sentBefore)) {
        channelSamples.push(entry.at - (startedAt.get(entry.chatId) ?? entry.at));
        messageCount += 1;
      }
      httpSamples.push(...(await httpRound(gateway.url)));
    }
    const wallSeconds = (performance.now() - wallStarted) / 1000;
    // One message at a time: the path's own cost, with no queue in front of the agent.
    const singleSamples = [];
    for (let index = 0; index < 50; index++) {
      const sentBefore = bot.sent().length;
      const startedAt = Date.now();
      bot.userSends({
        chat: { id: 99_999, type: "private" },
        from: { id: 99_999, first_name: "solo" },
        text: `solo ${index}`,
      });
      await bot.waitFor(() => bot.sent().length > sentBefore, 10_000);
      singleSamples.push((bot.sent()[sentBefore]?.at ?? startedAt) - startedAt);
    }
    const single = summarize(singleSamples);
    const usage = await (await fetch(`${gateway.url}/__openclaw__/usage?by=agent`, { headers: AUTH })).json();
    const model = usage.rows?.[0]?.latencyMs ?? {};
    const channel = summarize(channelSamples);
    const http = summarize(httpSamples);
    const modelP50 = model.p50 ?? Number.NaN;
    // The ledger keeps p50, p95 and max (log-scale buckets, within 10 %).
    const modelP95 = model.p95 ?? Number.NaN;
    const round1 = (value) => Math.round(value * 10) / 10;
    printTable([
      ["path", "n", "p50 ms", "p99 ms (model: p95)", "max ms"],
      [
        `telegram inbound → reply (${CHATS} chats at once)`,
        channel.n,
        round1(channel.p50),
        round1(channel.p99),
        round1(channel.max),
      ],
      [
        "telegram inbound → reply (one at a time)",
        single.n,
        round1(single.p50),
        round1(single.p99),
        round1(single.max),
      ],
      [
        `HTTP chat completions (${CHATS} at once)`,
        http.n,
        round1(http.p50),
        round1(http.p99),
        round1(http.max),
      ],
      [
        "model call (dev model, usage ledger)",
        "-",
        round1(modelP50),
        round1(modelP95),
        round1(model.max ?? Number.NaN),
      ],
    ]);
    console.log(
      `channel adds ${round1(channel.p50 - (Number.isFinite(modelP50) ? modelP50 : 0))} ms at p50 over the model; ` +
        `${messageCount} messages in ${round1(wallSeconds)} s`,
    );
    return {
      chats: CHATS,
      rounds: ROUNDS,
      channel,
      single,
      http,
      model: { p50: modelP50, p95: modelP95, max: model.max },
      usageRow: usage.rows?.[0],
    };
  } finally {
    await gateway.stop();
    await bot.stop();
  }
}
