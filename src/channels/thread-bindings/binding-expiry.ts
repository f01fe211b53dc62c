import type { ThreadBinding } from "../../storage/thread-binding-store.js";

const HOUR_MS = 60 * 60_000;

export interface BindingExpiry {
  /** Epoch ms; Infinity when neither limit is set. */
  at: number;
  /** Which limit ends it first, as a notice says it: `idle 24h`, `max age 2h`. */
  reason: string;
}

/** When a binding ends: the earlier of its idle limit (from the last message) and its maximum age. */
export function bindingExpiry(binding: ThreadBinding): BindingExpiry {
  const idleAt = binding.idleHours > 0 ? binding.lastActivityAt + binding.idleHours * HOUR_MS : Infinity;
  const ageAt = binding.maxAgeHours > 0 ? binding.createdAt + binding.maxAgeHours * HOUR_MS : Infinity;
  if (idleAt === Infinity && ageAt === Infinity) return { at: Infinity, reason: "never" };
  return idleAt <= ageAt
    ? { at: idleAt, reason: `idle ${formatHours(binding.idleHours)}` }
    : { at: ageAt, reason: `max age ${formatHours(binding.maxAgeHours)}` };
}

export function isExpired(binding: ThreadBinding, now: number): boolean {
  return bindingExpiry(binding).at <= now;
}

/** `24h`, `1.5h`, `30m`, `2s`: hours as a person reads them (tests use fractions of a second). */
export function formatHours(hours: number): string {
  if (hours <= 0) return "off";
  return formatDuration(hours * HOUR_MS);
}

export function formatDuration(ms: number): string {
  if (ms === Infinity) return "never";
  // Tenths below ten seconds: a test's limit of 0.0005 h reads as 1.8s, not 2s.
  if (ms < 9_950) return `${Math.max(0, Math.round(ms / 100) / 10)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.round((minutes / 60) * 10) / 10;
  return `${hours}h`;
}

/** A binding as status shows it (`openclaw channels status`, `channels.status`, the Control UI). */
export interface ThreadBindingView {
  channel: string;
  accountId: string;
  peer: string;
  threadId?: string;
  agentId: string;
  sessionKey: string;
  parentSessionKey: string;
  mode: "session" | "run";
  label?: string;
  createdAt: number;
  lastActivityAt: number;
  idleHours: number;
  maxAgeHours: number;
  /** Epoch ms; null when neither limit is set. */
  expiresAt: number | null;
  /** `idle 24h`, `max age 2h`, `never`. */
  expiresBy: string;
}

export function bindingView(binding: ThreadBinding): ThreadBindingView {
  const expiry = bindingExpiry(binding);
  return {
    channel: binding.channel,
    accountId: binding.accountId,
    peer: `${binding.peer.kind}:${binding.peer.id}`,
    ...(binding.threadId !== undefined ? { threadId: binding.threadId } : {}),
    agentId: binding.agentId,
    sessionKey: binding.sessionKey,
    parentSessionKey: binding.parentSessionKey,
    mode: binding.mode,
    ...(binding.label !== undefined ? { label: binding.label } : {}),
    createdAt: binding.createdAt,
    lastActivityAt: binding.lastActivityAt,
    idleHours: binding.idleHours,
    maxAgeHours: binding.maxAgeHours,
    expiresAt: expiry.at === Infinity ? null : Math.round(expiry.at),
    expiresBy: expiry.reason,
  };
}
