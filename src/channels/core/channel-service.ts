import { OpenClawError, toOpenClawError } from "../../errors.js";
import type { DmScope, GroupScope } from "../../sessions/index.js";
import { type ChannelInboxStore, INBOX_RETENTION_MS } from "../../storage/channel-inbox-store.js";
import type {
  ChannelApproval,
  ChannelPairingRequest,
  ChannelPairingStore,
} from "../../storage/channel-pairing-store.js";
import type { LeadershipSettings } from "./account-leader.js";
import { AccountRunner, type AccountStatus } from "./account-runner.js";
import type { Binding } from "./agent-routing.js";
import type { ChannelAccount, InboundMessage, OutboundTarget } from "./channel-account.js";
import { runUncontained } from "./channel-containment.js";
import { channelConnectError } from "./channel-errors.js";
import type { ChannelPlatform, ChannelPlatformContext, PlatformAccountSpec } from "./channel-platform.js";
import {
  type ActiveAccount,
  type ChannelTurns,
  type ConversationHooks,
  type DispatcherEvents,
  MessageDispatcher,
} from "./message-dispatcher.js";
import { OutboundSender, type RetryPolicy } from "./outbound-sender.js";
import { PAIRING_APPROVED_TEXT } from "./pairing-reply.js";

/** The parts of the config the channels read. */
export interface ChannelSettings {
  channels: Record<string, unknown>;
  bindings: readonly Binding[];
  dmScope: DmScope;
  groupScope: GroupScope;
  defaultAgentId: string;
}

export interface ChannelServiceOptions extends DispatcherEvents {
  platforms: readonly ChannelPlatform[];
  inbox: ChannelInboxStore<InboundMessage>;
  pairing: ChannelPairingStore;
  turns: ChannelTurns;
  context: ChannelPlatformContext;
  settings(): ChannelSettings;
  onInbound?(channel: string, accountId: string, count: number): void;
  retry?: RetryPolicy;
  backoff?: { baseMs: number; maxMs: number };
  /**
   * In a cluster (a shared storage): each polling or socket account runs on one gateway at a
   * time, the holder of its leader lease; the inbox (shared too) dedupes what a takeover
   * receives twice, and the new leader resumes what the old one left unfinished.
   */
  leadership?: LeadershipSettings;
  previewIntervalMs?: number;
  previewFirstDelayMs?: number;
  /** Chat commands and thread bindings, asked before routing (see ConversationHooks). */
  conversations?: ConversationHooks;
  /** Finished inbox entries are kept this long (redeliveries are deduped within it). */
  inboxRetentionMs?: number;
  now?: () => number;
}

const PRUNE_INTERVAL_MS = 60 * 60_000;

interface RunningAccount {
  spec: PlatformAccountSpec;
  runner: AccountRunner;
  sender: OutboundSender | undefined;
}

export interface ChannelAccountReport extends AccountStatus {
  /** Unfinished inbox entries of the account. */
  inboxDepth: number;
}

/**
 * The channels of one gateway: an AccountRunner per configured account (built by its platform),
 * the inbox they deliver into, the dispatcher that answers, and what operators do with them
 * (status, sends, pairing approvals). `apply` follows a new config: accounts whose settings
 * changed are rebuilt, removed ones stopped, others left running.
 */
export class ChannelService {
  private readonly accounts = new Map<string, RunningAccount>();
  private readonly dispatcher: MessageDispatcher;
  private started = false;
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ChannelServiceOptions) {
    this.dispatcher = new MessageDispatcher({
      inbox: options.inbox,
      pairing: options.pairing,
      turns: options.turns,
      log: (level, message, details) => options.context.log(level, message, details),
      account: (channel, accountId) => this.activeAccount(channel, accountId),
      routing: () => {
        const settings = options.settings();
        return {
          bindings: settings.bindings,
          defaults: {
            agentId: settings.defaultAgentId,
            dmScope: settings.dmScope,
            groupScope: settings.groupScope,
          },
        };
      },
      ...(options.onOutbound ? { onOutbound: options.onOutbound } : {}),
      ...(options.conversations ? { conversations: options.conversations } : {}),
      ...(options.onSendFailure ? { onSendFailure: options.onSendFailure } : {}),
      ...(options.previewIntervalMs !== undefined ? { previewIntervalMs: options.previewIntervalMs } : {}),
      ...(options.previewFirstDelayMs !== undefined
        ? { previewFirstDelayMs: options.previewFirstDelayMs }
        : {}),
    });
  }

  /** Whether any channel account is configured (the gateway skips the inbox otherwise). */
  static configured(
    settings: ChannelSettings,
    platforms: readonly ChannelPlatform[],
    context: ChannelPlatformContext,
  ): boolean {
    return platforms.some((platform) => {
      const config = settings.channels[platform.id];
      return config !== undefined && platform.accounts(config, context).length > 0;
    });
  }

  async start(): Promise<void> {
    this.started = true;
    await this.apply();
    // A gateway without channel accounts never opens (or creates) the inbox.
    if (this.accounts.size === 0) return;
    // Every message is kept, answered or dropped (a spammer's too): finished ones must go.
    await this.pruneInbox();
    this.pruneTimer = setInterval(() => void this.pruneInbox(), PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
    const resumed = await this.dispatcher.resume();
    if (resumed > 0)
      this.options.context.log("info", "channel messages resumed after a restart", { count: resumed });
  }

  async apply(): Promise<void> {
    if (!this.started) return;
    const wanted = new Map<string, PlatformAccountSpec & { channel: string }>();
    const settings = this.options.settings();
    for (const platform of this.options.platforms) {
      const config = settings.channels[platform.id];
      if (config === undefined) continue;
      for (const spec of platform.accounts(config, this.options.context)) {
        wanted.set(`${platform.id}:${spec.accountId}`, { ...spec, channel: platform.id });
      }
    }
    for (const [key, running] of this.accounts) {
      const next = wanted.get(key);
      if (!next || next.fingerprint !== running.spec.fingerprint) {
        this.accounts.delete(key);
        await this.stopAccount(running);
      } else {
        // Policies (allowFrom, groups…) take effect at once; they are read per message.
        running.spec = next;
      }
    }
    for (const [key, spec] of wanted) {
      if (this.accounts.has(key)) continue;
      this.launch(spec.channel, spec);
    }
  }

  /** A secret changed: the accounts that read it are rebuilt with its new value. */
  async secretRotated(name: string): Promise<void> {
    // A snapshot: each rebuilt account is set again under its key, which a live iteration would visit.
    for (const [key, running] of [...this.accounts]) {
      if (!running.spec.secrets.includes(name)) continue;
      this.accounts.delete(key);
      await this.stopAccount(running);
      this.launch(running.runner.status().channel, running.spec);
    }
  }

  /** Forgets finished inbox entries past the retention; returns how many went. */
  async pruneInbox(): Promise<number> {
    const now = this.options.now ?? Date.now;
    try {
      return await this.options.inbox.prune(now() - (this.options.inboxRetentionMs ?? INBOX_RETENTION_MS));
    } catch (error) {
      this.options.context.log("warn", "channel inbox not pruned", { error: toOpenClawError(error).message });
      return 0;
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    clearInterval(this.pruneTimer);
    this.pruneTimer = undefined;
    this.dispatcher.close();
    const running = [...this.accounts.values()];
    this.accounts.clear();
    await Promise.all(running.map((account) => this.stopAccount(account)));
  }

  /** Resolves when every received message has been handled (tests). */
  idle(): Promise<void> {
    return this.dispatcher.idle();
  }

  async status(): Promise<ChannelAccountReport[]> {
    if (this.accounts.size === 0) return [];
    const depth = await this.options.inbox.depth().catch(() => ({}) as Record<string, number>);
    return [...this.accounts.entries()].map(([key, running]) => ({
      ...running.runner.status(),
      inboxDepth: depth[key] ?? 0,
    }));
  }

  /** `openclaw message send` and the agents' `message` tool: chunks, sends, returns the platform ids. */
  async send(request: {
    channel: string;
    accountId?: string;
    target: string;
    threadId?: string;
    text: string;
  }) {
    const running = this.resolveAccount(request.channel, request.accountId);
    const platform = this.platform(request.channel);
    const account = running.runner.account;
    if (!account || !running.sender) {
      const status = running.runner.status();
      throw new OpenClawError(
        "OC_ERR_CHANNEL_CONNECT",
        `${request.channel} account "${status.accountId}" is ${status.state}${status.detail ? `: ${status.detail}` : ""}`,
        { hint: "see `openclaw channels status`; it reconnects by itself" },
      );
    }
    const target = platform.target(request.target, request.threadId);
    const messageIds: string[] = [];
    for (const chunk of account.chunk(request.text)) {
      messageIds.push((await running.sender.send(target, chunk)).messageId);
      this.options.onOutbound?.(request.channel, running.spec.accountId);
    }
    return {
      channel: request.channel,
      accountId: running.spec.accountId,
      target: request.target,
      messageIds,
    };
  }

  /** The connected account (thread bindings open threads on it), undefined while it is not. */
  connectedAccount(channel: string, accountId: string): ChannelAccount | undefined {
    const active = this.activeAccount(channel, accountId);
    return typeof active === "object" ? active.account : undefined;
  }

  /** Sends Markdown to a conversation of one account, chunked, through its retrying sender. */
  async post(channel: string, accountId: string, target: OutboundTarget, text: string): Promise<void> {
    const active = this.activeAccount(channel, accountId);
    if (typeof active !== "object") throw channelConnectError(channel, accountId, "it is not connected yet");
    for (const chunk of active.account.chunk(text)) {
      await active.sender.send(target, chunk);
      this.options.onOutbound?.(channel, accountId);
    }
  }

  pendingPairings(channel?: string): Promise<ChannelPairingRequest[]> {
    return this.options.pairing.pending(channel);
  }

  approvals(channel?: string): Promise<ChannelApproval[]> {
    return this.options.pairing.approvals(channel);
  }

  /** Approves a code; with `notify`, tells the sender on the same channel. */
  async approvePairing(request: { channel: string; code: string; accountId?: string; notify?: boolean }) {
    const approved = await this.options.pairing.approve(request.channel, request.code, request.accountId);
    if (!approved) throw unknownPairing(request.channel, request.code);
    let notified = false;
    if (request.notify) {
      try {
        await this.send({
          channel: approved.channel,
          accountId: approved.accountId,
          target: approved.peerId,
          text: PAIRING_APPROVED_TEXT,
        });
        notified = true;
      } catch (error) {
        this.options.context.log("warn", "pairing approved, but the sender could not be told", {
          channel: approved.channel,
          error: toOpenClawError(error).message,
        });
      }
    }
    return { approved, notified };
  }

  async dismissPairing(request: { channel: string; code: string; accountId?: string }): Promise<void> {
    if (!(await this.options.pairing.dismiss(request.channel, request.code, request.accountId)))
      throw unknownPairing(request.channel, request.code);
  }

  private launch(channel: string, spec: PlatformAccountSpec): void {
    const key = `${channel}:${spec.accountId}`;
    const leadership = spec.needsLeader !== false ? this.options.leadership : undefined;
    const entry: RunningAccount = { spec, runner: undefined as unknown as AccountRunner, sender: undefined };
    entry.runner = new AccountRunner({
      channel,
      accountId: spec.accountId,
      create: () => {
        const account = spec.create();
        entry.sender?.close();
        entry.sender = new OutboundSender({
          account,
          ...(this.options.retry ? { retry: this.options.retry } : {}),
          onRetry: (error, attempt, delayMs) =>
            this.options.context.log("warn", "channel send failed; retrying", {
              channel,
              account: spec.accountId,
              attempt,
              delayMs,
              error: error.message,
            }),
        });
        return account;
      },
      deliver: async (messages) => {
        // The gateway's handling of a message is its own work, not the platform library's.
        await runUncontained(() => this.dispatcher.deliver(messages));
        this.options.onInbound?.(channel, spec.accountId, messages.length);
      },
      onReady: () =>
        runUncontained(() => {
          this.dispatcher.resumeAccount(channel, spec.accountId);
          // A leader that just took over finishes what the one before it left (it may have died
          // mid-turn); the inbox is shared, so those entries are there.
          if (leadership) void this.resumeTakenOver(channel, spec.accountId);
        }),
      log: (level, message, details) => this.options.context.log(level, message, details),
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
      ...(leadership ? { leadership } : {}),
    });
    this.accounts.set(key, entry);
    entry.runner.start();
  }

  private async resumeTakenOver(channel: string, accountId: string): Promise<void> {
    try {
      const resumed = await this.dispatcher.resumeTakenOver(channel, accountId);
      if (resumed > 0)
        this.options.context.log("info", "channel messages resumed after taking the account over", {
          channel,
          account: accountId,
          count: resumed,
        });
    } catch (error) {
      this.options.context.log("error", "unfinished channel messages could not be read after a takeover", {
        channel,
        account: accountId,
        error: toOpenClawError(error).message,
      });
    }
  }

  private async stopAccount(running: RunningAccount): Promise<void> {
    running.sender?.close();
    await running.runner.stop();
  }

  private activeAccount(channel: string, accountId: string): ActiveAccount | "connecting" | undefined {
    const running = this.accounts.get(`${channel}:${accountId}`);
    if (!running) return undefined;
    const account = running.runner.instance;
    if (!account || !running.sender) return "connecting";
    return {
      account,
      sender: running.sender,
      policy: running.spec.policy,
      preview: running.spec.preview,
      ready: () => running.runner.isReady(),
    };
  }

  private resolveAccount(channel: string, accountId: string | undefined): RunningAccount {
    this.platform(channel);
    const candidates = [...this.accounts.values()].filter(
      (running) => running.runner.status().channel === channel,
    );
    // OpenClaw's order: the account named, else `defaultAccount`, else one named `default`, else the first.
    const configuredDefault = (
      this.options.settings().channels[channel] as { defaultAccount?: string } | undefined
    )?.defaultAccount;
    const wanted = accountId ?? configuredDefault;
    const chosen =
      wanted !== undefined
        ? candidates.find((running) => running.spec.accountId === wanted)
        : (candidates.find((running) => running.spec.accountId === "default") ?? candidates[0]);
    if (!chosen) {
      throw new OpenClawError(
        "OC_ERR_CHANNEL_UNKNOWN",
        wanted !== undefined
          ? `channel ${channel} has no account "${wanted}"`
          : `channel ${channel} has no account configured`,
        {
          hint: `configure channels.${channel} in openclaw.json; \`openclaw channels list\` shows what runs`,
        },
      );
    }
    return chosen;
  }

  private platform(channel: string): ChannelPlatform {
    const platform = this.options.platforms.find((candidate) => candidate.id === channel);
    if (!platform) {
      throw new OpenClawError("OC_ERR_CHANNEL_UNKNOWN", `unknown channel "${channel}"`, {
        hint: `channels this gateway has: ${this.options.platforms.map((known) => known.id).join(", ")}`,
      });
    }
    return platform;
  }
}

function unknownPairing(channel: string, code: string): OpenClawError {
  return new OpenClawError(
    "OC_ERR_CHANNEL_UNKNOWN",
    `no pending ${channel} pairing request has code ${code}`,
    {
      hint: `codes expire after an hour; \`openclaw pairing list ${channel}\` shows the pending ones`,
    },
  );
}
