/**
 * Who an account answers, as configured: the account's own fields win, a field it omits comes
 * from the channel's root (OpenClaw: omitted account policies inherit the channel root, not
 * `accounts.default`); an account's `groups` map replaces the root's, it is not merged.
 */

export type DmPolicy = "pairing" | "allowlist" | "open" | "disabled";
export type GroupPolicy = "open" | "allowlist" | "disabled";

export interface GroupSettings {
  enabled?: boolean | undefined;
  requireMention?: boolean | undefined;
  groupPolicy?: GroupPolicy | undefined;
  allowFrom?: string[] | undefined;
  topics?:
    | Record<
        string,
        { requireMention?: boolean | undefined; enabled?: boolean | undefined; agentId?: string | undefined }
      >
    | undefined;
}

/** The policy fields of a channel root or an account, as the config schema gives them. */
export interface PolicyFields {
  enabled?: boolean | undefined;
  dmPolicy?: DmPolicy | undefined;
  allowFrom?: string[] | undefined;
  groupPolicy?: GroupPolicy | undefined;
  groupAllowFrom?: string[] | undefined;
  groups?: Record<string, GroupSettings> | undefined;
  requireMention?: boolean | undefined;
}

export interface AccountPolicy {
  enabled: boolean;
  dmPolicy: DmPolicy;
  allowFrom: string[];
  groupPolicy: GroupPolicy;
  groupAllowFrom: string[] | undefined;
  groups: Record<string, GroupSettings> | undefined;
  requireMention: boolean;
}

export function accountPolicy(root: PolicyFields, account: PolicyFields | undefined): AccountPolicy {
  const pick = <K extends keyof PolicyFields>(key: K): PolicyFields[K] => account?.[key] ?? root[key];
  return {
    enabled: (account?.enabled ?? true) && (root.enabled ?? true),
    dmPolicy: pick("dmPolicy") ?? "pairing",
    allowFrom: pick("allowFrom") ?? [],
    groupPolicy: pick("groupPolicy") ?? "allowlist",
    groupAllowFrom: pick("groupAllowFrom"),
    groups: account?.groups ?? root.groups,
    requireMention: pick("requireMention") ?? true,
  };
}

/** Sender ids as written in allow lists: `telegram:123` and `tg:123` name `123`. */
export function normalizeSenderEntry(entry: string, channel: string): string {
  const trimmed = entry.trim();
  const prefixes = channel === "telegram" ? ["telegram:", "tg:"] : [`${channel}:`];
  for (const prefix of prefixes) {
    if (trimmed.toLowerCase().startsWith(prefix)) return trimmed.slice(prefix.length);
  }
  return trimmed;
}

/** Whether `senderId` is in `list` ("*" lets anyone in); IRC nicks compare case-insensitively. */
export function listAllows(list: readonly string[] | undefined, senderId: string, channel: string): boolean {
  if (!list) return false;
  const fold = (value: string) => (channel === "irc" ? value.toLowerCase() : value);
  const sender = fold(senderId);
  return list.some((entry) => entry === "*" || fold(normalizeSenderEntry(entry, channel)) === sender);
}
