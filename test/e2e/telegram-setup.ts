import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SentEntry } from "../../src/channels/telegram/testing/fake-bot-state.js";
import { FakeTelegramBotApi } from "../../src/channels/telegram/testing/fake-telegram-bot-api.js";
import { FakeOpenAIServer } from "../../src/models/testing/fake-openai-server.js";
import type { FakeReply, RecordedRequest } from "../../src/models/testing/fake-provider-server.js";
import {
  agentOnFakeOpenAI,
  type ChannelGatewayProcess,
  startChannelGateway,
  writeGatewayConfig,
} from "./channel-gateway.js";
import { type TempHome, tempHome } from "./harness.js";

/** A bot token shaped like BotFather's, unique enough to be found anywhere it leaks. */
export const BOT_TOKEN = "7301846592:AAE-canary-Zq9xK2mVt4Lw8RbN3cHdF6jYpS1";

export function userTexts(body: unknown): string[] {
  const messages = (body as { messages?: { role: string; content: unknown }[] }).messages ?? [];
  return messages
    .filter((message) => message.role === "user")
    .map((message) =>
      typeof message.content === "string" ? message.content : JSON.stringify(message.content),
    );
}

export interface TelegramGateway extends ChannelGatewayProcess {
  bot: FakeTelegramBotApi;
  /** The fake provider (absent on the dev model). */
  provider: FakeOpenAIServer;
  home: TempHome;
}

/**
 * A real gateway process whose `channels.telegram` talks to a loopback fake of the Bot API, its
 * token in a 0600 secret file, its agent on a fake OpenAI provider answering with `respond`.
 */
export async function startTelegramGateway(options: {
  telegram?: Record<string, unknown>;
  /** The fake provider's answer; without it the agent runs on the dev model. */
  respond?: (request: RecordedRequest) => FakeReply;
  chunkDelayMs?: number;
  extra?: Record<string, unknown>;
  /** More file secrets, by name: value. */
  secrets?: Record<string, string>;
  /** More environment for the gateway process. */
  env?: Record<string, string>;
}): Promise<TelegramGateway> {
  const bot = new FakeTelegramBotApi({ token: BOT_TOKEN, botUsername: "claw_bot" });
  const { apiRoot } = await bot.start();
  const respond = options.respond;
  const provider = respond
    ? new FakeOpenAIServer({ respond, chunkDelayMs: options.chunkDelayMs ?? 0 })
    : undefined;
  const baseUrl = provider ? (await provider.start()).baseUrl : undefined;
  const home = await tempHome();
  Object.assign(home.env, options.env ?? {});
  await writeFile(join(home.dir, "telegram.token"), `${BOT_TOKEN}\n`, { mode: 0o600 });
  const externalSecrets: Record<string, unknown> = {
    "telegram-bot": { source: "file", path: join(home.dir, "telegram.token") },
  };
  Object.assign(externalSecrets, options.extra?.externalSecrets ?? {});
  for (const [name, value] of Object.entries(options.secrets ?? {})) {
    await writeFile(join(home.dir, `${name}.secret`), value, { mode: 0o600 });
    externalSecrets[name] = { source: "file", path: join(home.dir, `${name}.secret`) };
  }
  await writeGatewayConfig(home, {
    ...(baseUrl ? agentOnFakeOpenAI(baseUrl) : {}),
    channels: {
      telegram: {
        botToken: { $secret: "telegram-bot" },
        apiRoot,
        pollTimeoutSeconds: 1,
        ...options.telegram,
      },
    },
    ...options.extra,
    externalSecrets,
  });
  return startChannelGateway(
    home,
    // Only tests that gave `respond` read the provider.
    { bot, provider: provider as FakeOpenAIServer, home },
    {
      stopFixtures: async () => {
        await bot.stop();
        await provider?.close();
      },
      restartWaitsForChannel: false,
    },
  );
}

export { waitForChannel } from "./channel-gateway.js";

/** What a chat shows now: each bot message's last text (edits applied), in the order they were sent. */
export function visibleMessages(sent: SentEntry[], chatId: string): { messageId: number; text: string }[] {
  const shown = new Map<number, string>();
  for (const entry of sent) if (entry.chatId === chatId) shown.set(entry.messageId, entry.text);
  return [...shown.entries()].sort(([a], [b]) => a - b).map(([messageId, text]) => ({ messageId, text }));
}

export function unescapeHtml(text: string): string {
  return text
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

/** Every file under a directory, read as bytes (logs, transcripts, state). */
export async function readTree(directory: string): Promise<{ path: string; content: Buffer }[]> {
  const files: { path: string; content: Buffer }[] = [];
  const walk = async (path: string): Promise<void> => {
    const entries = await readdir(path).catch(() => [] as string[]);
    for (const name of entries) {
      const child = join(path, name);
      const info = await stat(child).catch(() => undefined);
      if (info?.isDirectory()) await walk(child);
      else if (info?.isFile()) files.push({ path: child, content: await readFile(child) });
    }
  };
  await walk(directory);
  return files;
}

/** The code in the last pairing reply the bot sent to `chatId`, if it sent one. */
export function pairingCodeSentTo(bot: FakeTelegramBotApi, chatId: number): string | undefined {
  return bot
    .sent()
    .filter((entry) => entry.method === "sendMessage" && entry.chatId === String(chatId))
    .map((entry) => /Pairing code: ([A-Z2-9]{8})/.exec(entry.text)?.[1])
    .filter((code): code is string => code !== undefined)
    .at(-1);
}
