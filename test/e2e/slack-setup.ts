import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FakeSlack } from "../../src/channels/slack/testing/fake-slack.js";
import type { PostedEntry } from "../../src/channels/slack/testing/fake-slack-state.js";
import { FakeOpenAIServer } from "../../src/models/testing/fake-openai-server.js";
import type { FakeReply, RecordedRequest } from "../../src/models/testing/fake-provider-server.js";
import {
  agentOnFakeOpenAI,
  type ChannelGatewayProcess,
  freePort,
  startChannelGateway,
  writeGatewayConfig,
} from "./channel-gateway.js";
import { type RunningGateway, type TempHome, tempHome } from "./harness.js";

/** Credentials shaped like Slack's, unique enough to be found anywhere they leak. */
export const SLACK_BOT_TOKEN = "xoxb-7301846592-canary-Zq9xK2mVt4Lw8RbN3cHd";
export const SLACK_APP_TOKEN = "xapp-1-A0FAKEAPP-canary-F6jYpS1Qw2Er3Ty4Ui";
export const SLACK_SIGNING_SECRET = "8f742231b10e8888canary99yyyzzz85a5";

/** `restart` waits until the channel is ready again. */
export interface SlackGateway extends ChannelGatewayProcess {
  slack: FakeSlack;
  provider: FakeOpenAIServer;
  home: TempHome;
  /** Where the gateway's Events API listener is (http mode). */
  eventsUrl: string | undefined;
}

/**
 * A real gateway process whose `channels.slack` talks to a loopback fake Slack, its tokens and
 * signing secret in 0600 secret files, its agent on a fake OpenAI provider answering `respond`.
 */
export async function startSlackGateway(options: {
  mode: "socket" | "http";
  slack?: Record<string, unknown>;
  respond: (request: RecordedRequest) => FakeReply;
  /** More top-level config (agents, session …), over the defaults. */
  extra?: Record<string, unknown>;
}): Promise<SlackGateway> {
  const slack = new FakeSlack({ botToken: SLACK_BOT_TOKEN, appToken: SLACK_APP_TOKEN });
  const { apiUrl } = await slack.start();
  const provider = new FakeOpenAIServer({ respond: options.respond, chunkDelayMs: 0 });
  const { baseUrl } = await provider.start();
  const home = await tempHome();
  const secrets = {
    "slack-bot": SLACK_BOT_TOKEN,
    "slack-app": SLACK_APP_TOKEN,
    "slack-signing": SLACK_SIGNING_SECRET,
  };
  const externalSecrets: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(secrets)) {
    const path = join(home.dir, `${name}.secret`);
    await writeFile(path, `${value}\n`, { mode: 0o600 });
    externalSecrets[name] = { source: "file", path };
  }
  const port = options.mode === "http" ? await freePort() : undefined;
  await writeGatewayConfig(home, {
    ...agentOnFakeOpenAI(baseUrl),
    channels: {
      slack: {
        mode: options.mode,
        botToken: { $secret: "slack-bot" },
        ...(options.mode === "socket"
          ? { appToken: { $secret: "slack-app" } }
          : { signingSecret: { $secret: "slack-signing" }, webhookPort: port }),
        apiUrl,
        ...options.slack,
      },
    },
    ...options.extra,
    externalSecrets,
  });
  const eventsUrl = port !== undefined ? `http://127.0.0.1:${port}/slack/events` : undefined;
  const setup = await startChannelGateway(
    home,
    { slack, provider, home, eventsUrl },
    {
      stopFixtures: async () => {
        await slack.stop();
        await provider.close();
      },
      restartWaitsForChannel: true,
    },
  );
  if (eventsUrl) slack.routeEventsTo(eventsUrl, SLACK_SIGNING_SECRET);
  return setup;
}

/** What a conversation shows now: each bot message's last text (edits applied), oldest first. */
export function visibleSlackMessages(posted: PostedEntry[], channel: string): PostedEntry[] {
  const shown = new Map<string, PostedEntry>();
  for (const entry of posted) {
    if (entry.channel !== channel) continue;
    const first = shown.get(entry.ts);
    shown.set(entry.ts, { ...entry, threadTs: first?.threadTs ?? entry.threadTs });
  }
  return [...shown.values()].sort((a, b) => Number(a.ts) - Number(b.ts));
}

/** Inbound messages the gateway counted, from /metrics. */
export async function inboundCount(gateway: RunningGateway): Promise<number> {
  const metrics = await (await fetch(`${gateway.url}/metrics`, { headers: gateway.headers })).text();
  const match =
    /openclaw_channel_messages_total\{channel="slack",account="default",direction="in"\} (\d+)/.exec(metrics);
  return match ? Number(match[1]) : 0;
}
