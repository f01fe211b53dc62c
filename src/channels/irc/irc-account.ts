import { randomBytes, randomUUID } from "node:crypto";
import type {
  ChannelAccount,
  ChannelCapabilities,
  ChannelIdentity,
  InboundSink,
  OutboundTarget,
} from "../core/channel-account.js";
import { ChannelSendError, channelConnectError } from "../core/channel-errors.js";
import { chunkIrcMarkdown } from "./chunk-irc-markdown.js";
import { FloodQueue } from "./flood-queue.js";
import { DEFAULT_FLOOD_CONTROL, type IrcAccountOptions } from "./irc-account-options.js";
import { ircFoldCase } from "./irc-casemapping.js";
import {
  IRC_CHANNEL,
  type IrcConnection,
  type IrcConnectionHandlers,
  openIrcConnection,
} from "./irc-connection.js";
import { toInboundMessage } from "./irc-inbound-message.js";
import { resolveIrcTarget } from "./irc-target.js";
import { markdownToIrcLines } from "./markdown-to-irc-text.js";
import { ircTextBudget, splitIrcMessage } from "./split-irc-message.js";

export function createIrcAccount(options: IrcAccountOptions): ChannelAccount {
  return new IrcAccount(options);
}

/** One run of the account, from `start` to `stop`: events of an earlier run must not reach a later sink. */
interface Run {
  sink: InboundSink;
  abort: AbortController;
  connection: IrcConnection | undefined;
  /** Set once `sink.fail` was called: the supervisor restarts the account, once is enough. */
  failed: boolean;
  /** Tags message ids: IRC has none, and ours must not repeat across connections. */
  tag: string;
  sequence: number;
}

class IrcAccount implements ChannelAccount {
  readonly channel = IRC_CHANNEL;
  readonly accountId: string;
  readonly capabilities: ChannelCapabilities = { edit: false, typing: false };
  readonly #options: IrcAccountOptions;
  #queue: FloodQueue;
  #run: Run | undefined;
  /** Deliveries run one after another so the inbox sees messages in the order IRC sent them. */
  #deliveries: Promise<void> = Promise.resolve();

  constructor(options: IrcAccountOptions) {
    this.#options = options;
    this.accountId = options.accountId;
    this.#queue = new FloodQueue(options.flood ?? DEFAULT_FLOOD_CONTROL);
  }

  async start(sink: InboundSink): Promise<ChannelIdentity> {
    if (this.#run) throw new Error(`irc account "${this.accountId}" is already started; stop it first`);
    const run: Run = {
      sink,
      abort: new AbortController(),
      connection: undefined,
      failed: false,
      tag: `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`,
      sequence: 0,
    };
    this.#run = run;
    this.#queue = new FloodQueue(this.#options.flood ?? DEFAULT_FLOOD_CONTROL);
    try {
      const connection = await openIrcConnection(this.#options, this.#handlersFor(run), run.abort.signal);
      if (this.#run !== run) {
        await connection.close();
        throw channelConnectError(IRC_CHANNEL, this.accountId, "stopped before the connection was ready");
      }
      run.connection = connection;
      return { id: connection.nick, username: connection.nick };
    } catch (error) {
      if (this.#run === run) this.#run = undefined;
      throw error;
    }
  }

  async stop(): Promise<void> {
    const run = this.#run;
    this.#run = undefined;
    this.#queue.cancel(
      new ChannelSendError("the IRC account stopped before the line was sent", { retryable: true }),
    );
    if (!run) return;
    run.abort.abort();
    await run.connection?.close();
    this.#options.log?.("info", "irc stopped", { accountId: this.accountId });
    await this.#deliveries;
  }

  chunk(markdown: string): string[] {
    return chunkIrcMarkdown(markdown);
  }

  async send(target: OutboundTarget, markdown: string): Promise<{ messageId: string }> {
    const connection = this.#run?.connection;
    if (!connection?.connected) {
      throw new ChannelSendError("the IRC account is not connected", { retryable: true });
    }
    const destination = resolveIrcTarget(target.peer, connection);
    const budget = ircTextBudget(connection.nick, this.#options.username ?? this.#options.nick, destination);
    const pieces = markdownToIrcLines(markdown).flatMap((line) => splitIrcMessage(line, budget));
    if (pieces.length === 0) {
      throw new ChannelSendError("the reply is empty once rendered as IRC text", { retryable: false });
    }
    const queue = this.#queue;
    // Queued together, so one reply's lines are never interleaved with another's.
    await Promise.all(
      pieces.map((piece) => queue.enqueue(() => connection.writeLine(`PRIVMSG ${destination} :${piece}`))),
    );
    return { messageId: randomUUID() };
  }

  async edit(): Promise<void> {
    throw new ChannelSendError("IRC messages cannot be edited", { retryable: false });
  }

  async typing(): Promise<void> {
    // IRC has no typing indicator (capabilities.typing is false).
  }

  #handlersFor(run: Run): IrcConnectionHandlers {
    const current = () => this.#run === run;
    const fail = (error: unknown) => {
      if (!current() || run.failed) return;
      run.failed = true;
      this.#queue.cancel(
        new ChannelSendError("the IRC connection closed before the line was sent", { retryable: true }),
      );
      run.sink.fail(error);
    };
    return {
      privmsg: (privmsg, connection) => {
        if (!current()) return;
        const casemapping = connection.casemapping;
        if (ircFoldCase(privmsg.nick, casemapping) === ircFoldCase(connection.nick, casemapping)) return;
        run.sequence += 1;
        const message = toInboundMessage(privmsg, {
          channel: IRC_CHANNEL,
          accountId: this.accountId,
          ownNick: connection.nick,
          casemapping,
          isChannelName: (name) => connection.isChannelName(name),
          messageId: `${run.tag}-${run.sequence}`,
          receivedAt: Date.now(),
        });
        if (message) this.#deliver(run, message);
      },
      lost: (error) => {
        this.#options.log?.("warn", "irc connection lost", {
          accountId: this.accountId,
          error: error.message,
        });
        fail(error);
      },
      failed: fail,
      warn: (message, details) => {
        if (current()) run.sink.warn(message, details);
      },
    };
  }

  #deliver(run: Run, message: Parameters<InboundSink["deliver"]>[0][number]): void {
    this.#deliveries = this.#deliveries.then(async () => {
      try {
        await run.sink.deliver([message]);
      } catch (error) {
        // IRC cannot redeliver: the server sent this line once and will never send it again,
        // so a message the inbox could not store is lost. Say so loudly and carry on.
        try {
          run.sink.warn("irc message lost: it could not be stored and IRC cannot redeliver it", {
            messageId: message.messageId,
            peer: `${message.peer.kind}:${message.peer.id}`,
            error: error instanceof Error ? error.message : String(error),
          });
        } catch {
          // A sink that throws from warn has nothing left to tell.
        }
      }
    });
  }
}
