import {
  accountPolicy,
  type ChannelAccountReport,
  type ChannelPairingRequest,
  type DmPolicy,
  type PolicyFields,
} from "../../../channels/index.js";
import type { ThreadBindingView } from "../../../channels/thread-bindings/index.js";
import { OpenClawError } from "../../../errors.js";
import { DEFAULT_PAIRING_POLICY } from "../../../storage/index.js";
import type { MethodTable } from "./method-definition.js";

/**
 * OpenClaw's channel surface (`channels.status`, `channels.pairing.*`: the Control UI's "DM
 * access requests") over this gateway's ChannelService. Pairing codes are unique among pending
 * requests, so a request's `requestId` is its code; params are checked by the protocol's own
 * validators before these run (protocol-contract.ts).
 */
export interface ChannelMethodsDeps {
  status(): Promise<ChannelAccountReport[]>;
  /** Conversations bound to helper sessions: listed under each channel's summary. */
  threadBindings?(): Promise<ThreadBindingView[]>;
  pending(channel?: string): Promise<ChannelPairingRequest[]>;
  approve(request: { channel: string; code: string; accountId?: string; notify?: boolean }): Promise<{
    approved: ChannelPairingRequest;
    notified: boolean;
  }>;
  dismiss(request: { channel: string; code: string; accountId?: string }): Promise<void>;
  /** `channels` of the running config: each account's DM policy and display name. */
  config(): Record<string, unknown>;
}

const CHANNEL_LABELS: Record<string, string> = {
  telegram: "Telegram",
  irc: "IRC",
  discord: "Discord",
  slack: "Slack",
};

function channelLabel(channel: string): string {
  return CHANNEL_LABELS[channel] ?? channel;
}

type AccountFields = PolicyFields & { name?: string };

/** An account's settings as its platform reads them: its own fields over the channel root's. */
function accountSettings(channels: Record<string, unknown>, channel: string, accountId: string) {
  const root = (channels[channel] ?? {}) as AccountFields & { accounts?: Record<string, AccountFields> };
  const account =
    root.accounts && Object.hasOwn(root.accounts, accountId) ? root.accounts[accountId] : undefined;
  // The root is the `default` account's own block only when no `accounts.default` exists.
  const name = account ? account.name : root.name;
  return {
    dmPolicy: accountPolicy(root, account).dmPolicy,
    ...(name && name.trim() !== "" ? { name } : {}),
  };
}

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Codes match as the store matches them: case-insensitive, spaces ignored. */
const normalizedCode = (code: string) => code.replace(/\s+/g, "").toUpperCase();

interface PairingAccount {
  channel: string;
  accountId: string;
  accountLabel?: string;
}

/** The running accounts that answer unknown DMs with a pairing code, filtered as asked. */
async function pairingAccounts(
  deps: ChannelMethodsDeps,
  filter: { channel?: string; accountId?: string },
): Promise<PairingAccount[]> {
  const channels = deps.config();
  const accounts: PairingAccount[] = [];
  for (const report of await deps.status()) {
    if (filter.channel !== undefined && !sameName(report.channel, filter.channel)) continue;
    if (filter.accountId !== undefined && !sameName(report.accountId, filter.accountId)) continue;
    const settings = accountSettings(channels, report.channel, report.accountId);
    if (settings.dmPolicy !== "pairing") continue;
    accounts.push({
      channel: report.channel,
      accountId: report.accountId,
      ...(settings.name ? { accountLabel: settings.name } : {}),
    });
  }
  return accounts;
}

async function pairingAccount(
  deps: ChannelMethodsDeps,
  channel: string,
  accountId: string,
): Promise<PairingAccount> {
  const [account] = await pairingAccounts(deps, { channel, accountId });
  if (!account) {
    throw new OpenClawError(
      "OC_ERR_BAD_REQUEST",
      `channel account does not use DM pairing: ${channel}:${accountId}`,
      {
        hint: '`openclaw channels status` lists the accounts; pairing needs dmPolicy "pairing" (the default)',
      },
    );
  }
  return account;
}

function publicAccount(account: PairingAccount) {
  return {
    channel: account.channel,
    channelLabel: channelLabel(account.channel),
    accountId: account.accountId,
    ...(account.accountLabel ? { accountLabel: account.accountLabel } : {}),
    // Every platform here can DM the sender back (`approve` with notify).
    notifySupported: true,
  };
}

/** Who is asking, as a person reads it: the display name, else the handle, else the id. */
function senderLabel(request: ChannelPairingRequest): string {
  if (request.senderName) return request.senderName;
  if (request.senderUsername)
    return request.channel === "telegram" ? `@${request.senderUsername}` : request.senderUsername;
  return request.senderId;
}

function publicRequest(account: PairingAccount, request: ChannelPairingRequest) {
  const metadata = {
    ...(request.senderName ? { name: request.senderName } : {}),
    ...(request.senderUsername ? { username: request.senderUsername } : {}),
  };
  const createdAt = new Date(request.createdAt).toISOString();
  return {
    requestId: request.code,
    ...publicAccount(account),
    senderId: request.senderId,
    senderLabel: senderLabel(request),
    ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    createdAt,
    // A sender who writes again while pending is not re-recorded: last seen is when it asked.
    lastSeenAt: createdAt,
    expiresAt: new Date(request.expiresAt).toISOString(),
  };
}

function noLongerPending(channel: string, requestId: string): OpenClawError {
  return new OpenClawError("OC_ERR_CHANNEL_UNKNOWN", "pending DM access request no longer exists", {
    details: { channel, requestId },
    hint: `codes expire after an hour; \`openclaw pairing list ${channel}\` shows the pending ones`,
  });
}

/** One account of `channels.status`, in the protocol's snapshot words plus this gateway's own. */
function accountSnapshot(report: ChannelAccountReport, settings: { dmPolicy: DmPolicy; name?: string }) {
  return {
    accountId: report.accountId,
    ...(settings.name ? { name: settings.name } : {}),
    enabled: true,
    configured: true,
    running: report.state !== "stopped",
    connected: report.state === "ready",
    healthState: report.state,
    reconnectAttempts: report.restarts,
    lastError: report.state === "degraded" ? (report.detail ?? null) : null,
    lastInboundAt: report.lastInboundAt ?? null,
    dmPolicy: settings.dmPolicy,
    // Beyond the protocol's names (accounts are open objects): why it is degraded, since when.
    state: report.state,
    ...(report.detail !== undefined ? { detail: report.detail } : {}),
    ...(report.errorCode !== undefined ? { errorCode: report.errorCode } : {}),
    ...(report.identity !== undefined ? { identity: report.identity } : {}),
    since: report.since,
    ...(report.retryAt !== undefined ? { retryAt: report.retryAt } : {}),
    inboxDepth: report.inboxDepth,
  };
}

type AccountSnapshot = ReturnType<typeof accountSnapshot>;

/** The account `openclaw message send` uses when none is named: `default`, else the first. */
function defaultAccountOf(accounts: AccountSnapshot[]): AccountSnapshot | undefined {
  return accounts.find((account) => account.accountId === "default") ?? accounts[0];
}

async function channelsStatus(deps: ChannelMethodsDeps, filter: string | undefined) {
  const channels = deps.config();
  const byChannel = new Map<string, AccountSnapshot[]>();
  for (const report of await deps.status()) {
    if (filter !== undefined && !sameName(report.channel, filter)) continue;
    const list = byChannel.get(report.channel) ?? [];
    list.push(accountSnapshot(report, accountSettings(channels, report.channel, report.accountId)));
    byChannel.set(report.channel, list);
  }
  const channelOrder = [...byChannel.keys()];
  const summaries: Record<string, unknown> = {};
  const defaults: Record<string, string> = {};
  const bindings = (await deps.threadBindings?.()) ?? [];
  for (const [channel, accounts] of byChannel) {
    const chosen = defaultAccountOf(accounts);
    if (!chosen) continue;
    defaults[channel] = chosen.accountId;
    summaries[channel] = {
      configured: true,
      running: accounts.some((account) => account.running),
      connected: accounts.some((account) => account.connected),
      healthState: chosen.healthState,
      lastError: chosen.lastError,
      // The protocol leaves a channel's summary open; the top level is closed.
      threadBindings: bindings.filter((binding) => binding.channel === channel),
    };
  }
  return {
    ts: Date.now(),
    channelOrder,
    channelLabels: Object.fromEntries(channelOrder.map((channel) => [channel, channelLabel(channel)])),
    channels: summaries,
    channelAccounts: Object.fromEntries(byChannel),
    channelDefaultAccountId: defaults,
  };
}

export function channelMethods(deps: ChannelMethodsDeps): MethodTable {
  return {
    "channels.status": {
      role: "operator",
      scope: "operator.read",
      // `probe` is accepted and ignored: the runners' own state is as fresh as a probe.
      handle: ({ params }) => channelsStatus(deps, params.channel as string | undefined),
    },
    "channels.pairing.list": {
      role: "operator",
      scope: "operator.pairing",
      handle: async ({ params }) => {
        const accounts = await pairingAccounts(deps, {
          ...(typeof params.channel === "string" ? { channel: params.channel } : {}),
          ...(typeof params.accountId === "string" ? { accountId: params.accountId } : {}),
        });
        const pending = await deps.pending();
        const requests = accounts.flatMap((account) =>
          pending
            .filter(
              (request) => request.channel === account.channel && request.accountId === account.accountId,
            )
            .map((request) => publicRequest(account, request)),
        );
        return {
          accounts: accounts.map(publicAccount),
          requests,
          // This gateway has no command owners (`commands.ownerAllowFrom`): there is none to bootstrap.
          commandOwnerConfigured: false,
          limits: {
            pendingPerAccount: DEFAULT_PAIRING_POLICY.maxPending,
            ttlMs: DEFAULT_PAIRING_POLICY.ttlMs,
          },
        };
      },
    },
    // The protocol's scope is "dynamic" (admin when bootstrapping a command owner); this gateway
    // has no command owners, so approving needs operator.pairing only.
    "channels.pairing.approve": {
      role: "operator",
      scope: "operator.pairing",
      handle: async ({ params }) => {
        const requestId = params.requestId as string;
        const account = await pairingAccount(deps, params.channel as string, params.accountId as string);
        const notify = params.notify === true;
        const { approved, notified } = await deps.approve({
          channel: account.channel,
          accountId: account.accountId,
          code: requestId,
          notify,
        });
        return {
          requestId,
          senderId: approved.senderId,
          notification: !notify ? "not-requested" : notified ? "sent" : "failed",
          commandOwnerBootstrap: params.bootstrapCommandOwner === true ? "unavailable" : "not-requested",
        };
      },
    },
    "channels.pairing.dismiss": {
      role: "operator",
      scope: "operator.pairing",
      handle: async ({ params }) => {
        const requestId = params.requestId as string;
        const account = await pairingAccount(deps, params.channel as string, params.accountId as string);
        const request = (await deps.pending(account.channel)).find(
          (candidate) =>
            candidate.accountId === account.accountId &&
            normalizedCode(candidate.code) === normalizedCode(requestId),
        );
        if (!request) throw noLongerPending(account.channel, requestId);
        await deps.dismiss({ channel: account.channel, accountId: account.accountId, code: request.code });
        return { requestId, senderId: request.senderId };
      },
    },
  };
}
