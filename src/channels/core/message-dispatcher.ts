import { type OpenClawError, toOpenClawError } from "../../errors.js";
import { channelSessionKey } from "../../sessions/index.js";
import type { ChannelInboxStore, InboxEntry } from "../../storage/channel-inbox-store.js";
import type { ChannelPairingStore } from "../../storage/channel-pairing-store.js";
import { decideAccess } from "./access-decision.js";
import type { AccountPolicy } from "./account-policy.js";
import { type Binding, type Route, routeMessage } from "./agent-routing.js";
import type { ChannelAccount, InboundMessage, OutboundTarget } from "./channel-account.js";
import type { OutboundSender } from "./outbound-sender.js";
import { pairingRequestText } from "./pairing-reply.js";
import { ReplyPreview } from "./reply-preview.js";

/** A channel account that is configured now, with what the dispatcher needs of it. */
export interface ActiveAccount {
  account: ChannelAccount;
  sender: OutboundSender;
  policy: AccountPolicy;
  /** Stream replies into a live preview (needs capabilities.edit). */
  preview: boolean;
  /** Whether it is connected: sends to a disconnected account wait for `resumeAccount`. */
  ready(): boolean;
}

/** How a channel message becomes a turn: the gateway's run service. */
export interface ChannelTurns {
  run(request: {
    agentId: string;
    sessionKey: string;
    text: string;
    runId: string;
    onTextDelta: (delta: string) => void;
    /** The conversation the message came from: a tool of the turn may bind it (thread bindings). */
    conversation: Pick<InboundMessage, "channel" | "accountId" | "peer" | "threadId">;
  }): Promise<{ text: string }>;
}

/**
 * What the dispatcher asks after the access decision, before routing: a chat command is
 * answered without a turn, and a conversation bound to a helper session goes to it.
 */
export interface ConversationHooks {
  command(message: InboundMessage): Promise<string | undefined>;
  bound(message: InboundMessage): Promise<{ agentId: string; sessionKey: string } | undefined>;
}

export type DispatcherLog = (
  level: "debug" | "info" | "warn" | "error",
  message: string,
  details: Record<string, unknown>,
) => void;

export interface DispatcherEvents {
  onOutbound?(channel: string, accountId: string): void;
  onSendFailure?(channel: string, accountId: string, error: OpenClawError): void;
}

export interface MessageDispatcherOptions extends DispatcherEvents {
  inbox: ChannelInboxStore<InboundMessage>;
  pairing: ChannelPairingStore;
  /** The account, "connecting" while configured but not connected, undefined when not configured. */
  account(channel: string, accountId: string): ActiveAccount | "connecting" | undefined;
  routing(): { bindings: readonly Binding[]; defaults: Omit<Route, "matchedBy"> };
  turns: ChannelTurns;
  log: DispatcherLog;
  /** Live preview pacing; tests shorten it. */
  previewIntervalMs?: number;
  previewFirstDelayMs?: number;
  /** A message whose turn was started this often (restarts mid-turn) is answered with an error. */
  maxAttempts?: number;
  conversations?: ConversationHooks;
}

const PREVIEW_MAX_CHARS = 3500;

/**
 * From the durable inbox to a reply. Each stored message is decided (access, pairing), routed
 * (bindings → agent → session key), run as a turn, and answered in chunks; every step is
 * written to the inbox before the next, so that a gateway killed anywhere resumes the message
 * where it stood: a turn that was running runs again, a reply half sent sends its remaining
 * chunks. One conversation's messages are handled in order; conversations run side by side.
 */
export class MessageDispatcher {
  private readonly conversations = new Map<string, Promise<void>>();
  /** Replies waiting for their account to reconnect, by `channel:account`. */
  private readonly waiting = new Map<string, Set<number>>();
  private readonly inFlight = new Set<number>();
  private closed = false;

  constructor(private readonly options: MessageDispatcherOptions) {}

  /** The InboundSink's `deliver`: stores, then handles in the background. Throws when it cannot store. */
  async deliver(messages: readonly InboundMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const { added } = await this.options.inbox.add(messages);
    for (const entry of added) this.schedule(entry);
  }

  /** Picks up what a previous process left unfinished. */
  async resume(): Promise<number> {
    const entries = await this.options.inbox.unfinished();
    for (const entry of entries) this.schedule(entry);
    return entries.length;
  }

  /**
   * Picks up what the account's previous leader (another gateway of the cluster, dead or
   * deposed) left unfinished: this gateway just took the account over.
   */
  async resumeTakenOver(channel: string, accountId: string): Promise<number> {
    const entries = (await this.options.inbox.unfinished()).filter(
      (entry) => entry.message.channel === channel && entry.message.accountId === accountId,
    );
    for (const entry of entries) this.schedule(entry);
    return entries.length;
  }

  /** The account (re)connected: replies that waited for it are sent now. */
  resumeAccount(channel: string, accountId: string): void {
    const key = `${channel}:${accountId}`;
    const ids = this.waiting.get(key);
    if (!ids) return;
    this.waiting.delete(key);
    for (const id of ids) {
      void this.options.inbox.get(id).then((entry) => {
        if (entry) this.schedule(entry);
      });
    }
  }

  /** Resolves when nothing is being handled (tests, stop). */
  async idle(): Promise<void> {
    while (this.conversations.size > 0) await Promise.allSettled([...this.conversations.values()]);
  }

  close(): void {
    this.closed = true;
  }

  private schedule(entry: InboxEntry<InboundMessage>): void {
    if (this.closed || this.inFlight.has(entry.id)) return;
    this.inFlight.add(entry.id);
    const { message } = entry;
    const key = `${message.channel}:${message.accountId}:${message.peer.kind}:${message.peer.id}:${message.threadId ?? ""}`;
    const previous = this.conversations.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => this.handle(entry.id))
      .catch((error: unknown) =>
        this.options.log("error", "channel message handling failed", {
          channel: message.channel,
          account: message.accountId,
          entry: entry.id,
          error: toOpenClawError(error).message,
        }),
      )
      .finally(() => this.inFlight.delete(entry.id));
    this.conversations.set(key, next);
    void next.finally(() => {
      if (this.conversations.get(key) === next) this.conversations.delete(key);
    });
  }

  private async handle(id: number): Promise<void> {
    if (this.closed) return;
    // Re-read: the entry may have moved on since it was scheduled.
    let entry = await this.options.inbox.get(id);
    if (!entry) return;
    const { message } = entry;
    const active = this.options.account(message.channel, message.accountId);
    if (!active) {
      if (entry.state !== "replied" && entry.state !== "dropped")
        await this.options.inbox.drop(
          id,
          `channel account ${message.channel}:${message.accountId} is not configured`,
        );
      return;
    }
    // Resumed at start before its account connected: its connection resumes it.
    if (active === "connecting") {
      this.waitForAccount(message, id);
      return;
    }
    if (entry.state === "pending" || entry.state === "running") {
      const next = await this.decideAndRun(entry, active);
      if (!next) return;
      entry = next;
    }
    if (entry.state === "replying") await this.sendRemaining(entry, active);
  }

  /** Returns the entry in `replying` when there is something to send, else undefined. */
  private async decideAndRun(
    entry: InboxEntry<InboundMessage>,
    active: ActiveAccount,
  ): Promise<InboxEntry<InboundMessage> | undefined> {
    const { inbox, pairing, log } = this.options;
    const { message } = entry;
    const approved =
      message.peer.kind === "direct" && active.policy.dmPolicy === "pairing"
        ? await pairing.isApproved(message.channel, message.accountId, message.sender.id)
        : false;
    const decision = decideAccess(message, active.policy, approved);
    if (decision.action === "drop") {
      log("debug", "channel message not for the agent", { ...where(message), reason: decision.reason });
      await inbox.drop(entry.id, decision.reason);
      return undefined;
    }
    if (decision.action === "pair") {
      const result = await pairing.request({
        channel: message.channel,
        accountId: message.accountId,
        senderId: message.sender.id,
        ...(message.sender.name ? { senderName: message.sender.name } : {}),
        ...(message.sender.username ? { senderUsername: message.sender.username } : {}),
        peerId: message.peer.id,
      });
      if (result.status !== "created") {
        await inbox.drop(
          entry.id,
          result.status === "full" ? "pairing requests are full" : "pairing pending",
        );
        return undefined;
      }
      log("info", `${message.channel} pairing request`, {
        ...where(message),
        senderUserId: message.sender.id,
        code: result.request.code,
      });
      return inbox.setReply(entry.id, active.account.chunk(pairingRequestText(result.request)));
    }
    const answer = await this.options.conversations?.command(message);
    if (answer !== undefined) return inbox.setReply(entry.id, active.account.chunk(answer));
    if (entry.attempts >= (this.options.maxAttempts ?? 3)) {
      return inbox.setReply(
        entry.id,
        active.account.chunk(
          "⚠️ This message could not be answered: the gateway stopped during each attempt.",
        ),
      );
    }
    const { bindings, defaults } = this.options.routing();
    const route = routeMessage(message, bindings, defaults, message.routing);
    const bound = await this.options.conversations?.bound(message);
    const agentId = bound?.agentId ?? decision.agentId ?? route.agentId;
    const sessionKey = bound?.sessionKey ?? channelSessionKey(agentId, message, route);
    const running = await inbox.markRunning(entry.id, { agentId, sessionKey });
    const target = targetOf(message);
    const preview =
      active.preview && active.account.capabilities.edit
        ? new ReplyPreview({
            sender: active.sender,
            target,
            intervalMs: this.options.previewIntervalMs ?? 1000,
            firstDelayMs: this.options.previewFirstDelayMs ?? 400,
            maxChars: PREVIEW_MAX_CHARS,
            ...(running.previewMessageId ? { messageId: running.previewMessageId } : {}),
            onMessage: (messageId) => inbox.setPreview(entry.id, messageId),
            onError: (error) =>
              log("warn", "channel preview failed", {
                ...where(message),
                error: toOpenClawError(error).message,
              }),
          })
        : undefined;
    active.sender.typing(target);
    let text: string;
    try {
      const result = await this.options.turns.run({
        agentId,
        sessionKey,
        text: turnText(message),
        runId: `${message.channel}-${message.accountId}-${entry.id}-${running.attempts}`,
        onTextDelta: (delta) => preview?.append(delta),
        conversation: {
          channel: message.channel,
          accountId: message.accountId,
          peer: message.peer,
          ...(message.threadId !== undefined ? { threadId: message.threadId } : {}),
        },
      });
      text = result.text.trim() === "" ? "(no answer)" : result.text;
    } catch (error) {
      const failure = toOpenClawError(error);
      log("warn", "channel turn failed", {
        ...where(message),
        agent: agentId,
        session: sessionKey,
        error: failure.message,
        code: failure.code,
      });
      text = `⚠️ ${failure.message}${failure.hint ? `\n${failure.hint}` : ""}`;
    }
    const previewId = await preview?.finish();
    const replying = await inbox.setReply(entry.id, active.account.chunk(text));
    return previewId !== undefined ? { ...replying, previewMessageId: previewId } : replying;
  }

  private async sendRemaining(entry: InboxEntry<InboundMessage>, active: ActiveAccount): Promise<void> {
    const { inbox } = this.options;
    const { message } = entry;
    const chunks = entry.replyChunks ?? [];
    const target = targetOf(message);
    for (let index = entry.sentChunks; index < chunks.length; index++) {
      const chunk = chunks[index] as string;
      let messageId: string;
      try {
        // The live preview becomes the reply's first chunk: edited, not sent again.
        if (index === 0 && entry.previewMessageId !== undefined) {
          await active.sender.edit(target, entry.previewMessageId, chunk);
          messageId = entry.previewMessageId;
        } else {
          messageId = (await active.sender.send(target, chunk)).messageId;
        }
      } catch (error) {
        const failure = toOpenClawError(error);
        this.options.onSendFailure?.(message.channel, message.accountId, failure);
        const retryable = (failure as { retryable?: boolean }).retryable ?? failure.spec.retryable;
        if (index === 0 && entry.previewMessageId !== undefined && !retryable) {
          // The preview is gone (deleted by the user): send the chunk as a new message instead.
          entry = { ...entry, previewMessageId: undefined } as InboxEntry<InboundMessage>;
          index -= 1;
          continue;
        }
        if (retryable) {
          this.options.log("warn", "channel reply waits for its account", {
            ...where(message),
            error: failure.message,
          });
          this.waitForAccount(message, entry.id);
          return;
        }
        this.options.log("error", "channel reply refused", { ...where(message), error: failure.message });
        await inbox.drop(entry.id, `reply refused: ${failure.message}`);
        return;
      }
      // The sent-mark follows the send at once: a kill between them is the one duplicate window.
      await inbox.markChunkSent(entry.id, index, messageId);
      this.options.onOutbound?.(message.channel, message.accountId);
    }
  }

  private waitForAccount(message: InboundMessage, id: number): void {
    const key = `${message.channel}:${message.accountId}`;
    const ids = this.waiting.get(key) ?? new Set<number>();
    ids.add(id);
    this.waiting.set(key, ids);
    // Not connected: its reconnect resumes this. Connected (the platform refused for a while): try later.
    const active = this.options.account(message.channel, message.accountId);
    if (typeof active === "object" && active.ready()) {
      const timer = setTimeout(() => this.resumeAccount(message.channel, message.accountId), 30_000);
      timer.unref();
    }
  }
}

function targetOf(message: InboundMessage): OutboundTarget {
  return {
    peer: message.peer,
    ...(message.threadId !== undefined ? { threadId: message.threadId } : {}),
    ...(message.peer.kind !== "direct" ? { replyToMessageId: message.messageId } : {}),
  };
}

/** What the agent reads: the text, and what was attached (names only: nothing is downloaded). */
function turnText(message: InboundMessage): string {
  const attachments = message.attachments.map(
    (attachment) => `[${attachment.kind}${attachment.name ? `: ${attachment.name}` : ""}]`,
  );
  const text = [message.text, ...attachments].filter((part) => part !== "").join("\n");
  if (message.peer.kind === "direct") return text;
  const who =
    message.sender.name ?? (message.sender.username ? `@${message.sender.username}` : message.sender.id);
  return `${who}: ${text}`;
}

function where(message: InboundMessage): Record<string, unknown> {
  return {
    channel: message.channel,
    account: message.accountId,
    peer: `${message.peer.kind}:${message.peer.id}`,
    ...(message.threadId !== undefined ? { thread: message.threadId } : {}),
  };
}
