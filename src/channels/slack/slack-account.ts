import { WebClient } from "@slack/web-api";
import { OpenClawError } from "../../errors.js";
import { AccountStartGuard } from "../core/account-start-guard.js";
import type { ChannelAccount, ChannelIdentity, InboundSink, PeerKind } from "../core/channel-account.js";
import { channelAuthError, channelConnectError } from "../core/channel-errors.js";
import { chunkSlackMarkdown } from "./chunk-slack-markdown.js";
import { normalizeSlackEvent, type SlackEventCallback } from "./normalize-slack-event.js";
import {
  DEFAULT_API_URL,
  DEFAULT_EVENTS_HOST,
  DEFAULT_EVENTS_PATH,
  DEFAULT_EVENTS_PORT,
  DEFAULT_TEXT_CHUNK_LIMIT,
  type SlackAccountOptions,
} from "./slack-account-options.js";
import { describeSlackFailure, toConnectError } from "./slack-api-failure.js";
import { SlackEventsListener } from "./slack-events-listener.js";
import { slackLibraryLogger } from "./slack-library-logger.js";
import { SlackOutbound } from "./slack-outbound.js";
import { SlackSocketReceiver } from "./slack-socket-receiver.js";

export interface SlackAccount extends ChannelAccount {
  /** Where the Events API listener is bound, once started in http mode (port 0 picks one). */
  eventsAddress(): { host: string; port: number } | undefined;
}

/** One Slack app installation (a bot token), receiving by Socket Mode or the Events API. */
export function createSlackAccount(options: SlackAccountOptions): SlackAccount {
  const { accountId } = options;
  const log = options.log ?? (() => {});
  const credentials = checkedCredentials(options);
  const apiUrl = options.apiUrl ?? DEFAULT_API_URL;
  const textChunkLimit = options.textChunkLimit ?? DEFAULT_TEXT_CHUNK_LIMIT;
  const attempts = Math.max(1, options.apiAttempts ?? 4);
  const client = new WebClient(options.botToken, {
    slackApiUrl: apiUrl,
    logger: slackLibraryLogger(log, "slack web api"),
    // A 429 is waited out (Retry-After) inside the client and counts as one attempt; a network
    // failure is retried briefly, then the channel's own retry (with back-off) takes over.
    retryConfig: { retries: attempts - 1, factor: 2, minTimeout: 250, maxTimeout: 2000 },
    timeout: 30_000,
  });
  const outbound = new SlackOutbound(client, options);
  const kinds = new Map<string, PeerKind>();
  let listener: SlackEventsListener | undefined;
  let socket: SlackSocketReceiver | undefined;
  const guard = new AccountStartGuard();

  async function connect(sink: InboundSink): Promise<ChannelIdentity> {
    let me: { user_id?: string; user?: string; team_id?: string; bot_id?: string };
    try {
      me = await client.auth.test();
    } catch (error) {
      throw toConnectError(describeSlackFailure("auth.test", error), accountId, "botToken");
    }
    const botUserId = me.user_id;
    if (!botUserId) throw channelConnectError("slack", accountId, "auth.test returned no bot user id");
    const context = {
      accountId,
      botUserId,
      threading: options.threading ?? {},
      groupDms: options.groupDms ?? { enabled: false },
      kinds,
    };
    outbound.onAuthFailure = (error) => sink.fail(channelAuthError("slack", accountId, `botToken: ${error}`));
    const receive = async (callback: SlackEventCallback) => {
      const message = normalizeSlackEvent(callback, context);
      if (!message) return;
      const channel = callback.event?.channel;
      if (message.peer.kind === "direct" && channel) outbound.rememberDm(message.peer.id, channel);
      await sink.deliver([message]);
    };
    if (options.mode === "http") {
      const receiver = new SlackEventsListener({
        host: options.events?.host ?? DEFAULT_EVENTS_HOST,
        port: options.events?.port ?? DEFAULT_EVENTS_PORT,
        path: options.events?.path ?? DEFAULT_EVENTS_PATH,
        signingSecret: credentials.signingSecret as string,
        log,
        receive,
      });
      const address = await receiver.listen().catch((error: unknown) => {
        throw channelConnectError(
          "slack",
          accountId,
          `events listener cannot listen (${String((error as { code?: unknown }).code)})`,
        );
      });
      listener = receiver;
      log("info", "slack events listener ready", { accountId, ...address });
    } else {
      const receiver = new SlackSocketReceiver({
        accountId,
        appToken: credentials.appToken as string,
        apiUrl,
        receive,
        fail: (error) => sink.fail(error),
        warn: (message, details) => sink.warn(message, details),
        log,
        reconnectBaseMs: options.reconnectBaseMs ?? 2000,
      });
      try {
        await receiver.start();
      } catch (error) {
        await receiver.stop();
        throw error;
      }
      socket = receiver;
      log("info", "slack socket mode connected", { accountId });
    }
    return { id: botUserId, ...(me.user ? { username: me.user, name: me.user } : {}) };
  }

  return {
    channel: "slack",
    accountId,
    // Slack's Web API has no typing indicator for bots; chat.update makes the live preview.
    capabilities: { edit: true, typing: false, threads: "child" },

    async start(sink: InboundSink): Promise<ChannelIdentity> {
      if (guard.starting || listener || socket)
        throw channelConnectError("slack", accountId, "already started");
      return guard.start(() => connect(sink));
    },

    async stop(): Promise<void> {
      await guard.settled();
      const [stoppingListener, stoppingSocket] = [listener, socket];
      listener = undefined;
      socket = undefined;
      await Promise.all([stoppingListener?.close(), stoppingSocket?.stop()]);
    },

    chunk: (markdown) => chunkSlackMarkdown(markdown, textChunkLimit),
    send: (target, markdown) => outbound.send(target, markdown),
    edit: (target, messageId, markdown) => outbound.edit(target, messageId, markdown),
    typing: async () => {},
    createThread: (target, _name, intro) => outbound.createThread(target, intro),
    eventsAddress: () => listener?.address(),
  };
}

function checkedCredentials(options: SlackAccountOptions): { appToken?: string; signingSecret?: string } {
  const where = `channels.slack${options.accountId === "default" ? "" : `.accounts.${options.accountId}`}`;
  if (options.mode === "http") {
    // Without it anyone who finds the URL could post forged events.
    if (!options.signingSecret)
      throw new OpenClawError(
        "OC_ERR_CONFIG_INVALID",
        `slack account "${options.accountId}" is in http mode without a signing secret`,
        {
          hint: `set ${where}.signingSecret to the app's Signing Secret (Basic Information → App Credentials), as a { "$secret": name } reference`,
        },
      );
    return { signingSecret: options.signingSecret };
  }
  if (!options.appToken)
    throw new OpenClawError(
      "OC_ERR_CONFIG_INVALID",
      `slack account "${options.accountId}" is in socket mode without an app token`,
      {
        hint: `set ${where}.appToken to an App-Level Token (xapp-…) with connections:write, or set ${where}.mode to "http" with a signingSecret`,
      },
    );
  return { appToken: options.appToken };
}
