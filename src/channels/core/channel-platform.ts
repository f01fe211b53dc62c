import { createHash } from "node:crypto";
import type { AccountPolicy } from "./account-policy.js";
import type { ChannelAccount, OutboundTarget } from "./channel-account.js";

/** One account a platform's config asks for. */
export interface PlatformAccountSpec {
  accountId: string;
  policy: AccountPolicy;
  /** Stream replies into a live preview (the platform edits messages). */
  preview: boolean;
  /** Changes whenever the account must be rebuilt (any setting of it); never holds a secret. */
  fingerprint: string;
  /** The external secrets it reads: when one rotates, the account is rebuilt. */
  secrets: readonly string[];
  /** Builds the account, reading its secrets now; throws (the account is degraded) when one is missing. */
  create(): ChannelAccount;
  /**
   * Whether, in a cluster, only one gateway may run it at a time (it polls, or holds a socket
   * the platform delivers on): then it runs on the holder of its leader lease. Absent means
   * true. A webhook-mode account says false: it receives on whichever gateway a request lands.
   */
  needsLeader?: boolean;
}

/** What a platform gets from the gateway to read its config. */
export interface ChannelPlatformContext {
  /**
   * A credential's value: a `{ "$secret": name }` reference's, or an inline string (development
   * only: production refuses plaintext at load). Throws OC_ERR_SECRET_UNAVAILABLE without a value.
   * Every value returned is masked in logs from then on.
   */
  credential(value: string | { $secret: string } | undefined, path: string): string | undefined;
  /**
   * A token file (`tokenFile`, relative to the config file's directory): a regular file, no
   * symlink, not readable by others; masked too.
   */
  secretFile(path: string): string;
  log(level: "debug" | "info" | "warn" | "error", message: string, details: Record<string, unknown>): void;
}

/**
 * A messaging platform: reads its `channels.<id>` block into accounts. The core knows platforms
 * only through this; the gateway lists the ones it ships.
 */
export interface ChannelPlatform {
  readonly id: string;
  accounts(config: unknown, context: ChannelPlatformContext): PlatformAccountSpec[];
  /** Where `openclaw message send --target <raw>` goes on this platform. */
  target(raw: string, threadId?: string): OutboundTarget;
}

/** A channel's root and its named accounts, as every platform's config spells them. */
export interface AccountsConfig<Account> {
  enabled?: boolean | undefined;
  accounts?: Record<string, Account> | undefined;
  defaultAccount?: string | undefined;
}

/**
 * The accounts a channel block asks for, OpenClaw's way: the root is the `default` account when
 * `rootIsAccount` (it has its own token or host) and no `accounts.default` is written; each
 * `accounts.<id>` is one more. A disabled channel or account asks for none. Each comes with the
 * root's own settings (the defaults an account inherits) and the account's, undefined for the root.
 */
export function configuredAccounts<
  Account extends { enabled?: boolean | undefined },
  Root extends AccountsConfig<Account>,
>(
  root: Root,
  rootIsAccount: (fields: Omit<Root, "accounts" | "defaultAccount">) => boolean,
): { accountId: string; root: Omit<Root, "accounts" | "defaultAccount">; account: Account | undefined }[] {
  if (root.enabled === false) return [];
  const { accounts: named = {}, defaultAccount: _default, ...fields } = root;
  const entries: { accountId: string; root: typeof fields; account: Account | undefined }[] = [];
  if (rootIsAccount(fields) && !Object.hasOwn(named, "default"))
    entries.push({ accountId: "default", root: fields, account: undefined });
  for (const [accountId, account] of Object.entries(named))
    entries.push({ accountId, root: fields, account });
  return entries.filter((entry) => entry.account?.enabled !== false);
}

/** The policy fields, read per message: a change to them rebuilds nothing. */
const POLICY_KEYS = ["dmPolicy", "allowFrom", "groupPolicy", "groupAllowFrom", "groups", "requireMention"];

/**
 * The fingerprint of an account's settings, less its policies. An inline credential (allowed in
 * development) is fingerprinted by a hash prefix, so the fingerprint never holds it.
 */
export function settingsFingerprint(
  settings: Record<string, unknown>,
  credentialKeys: readonly string[],
): string {
  const copy: Record<string, unknown> = { ...settings };
  for (const key of POLICY_KEYS) delete copy[key];
  const mark = (value: unknown): unknown =>
    typeof value === "string"
      ? `sha256:${createHash("sha256").update(value).digest("hex").slice(0, 16)}`
      : value;
  for (const path of credentialKeys) {
    const [head, tail] = path.split(".") as [string, string | undefined];
    const value = copy[head];
    if (tail === undefined) copy[head] = mark(value);
    else if (typeof value === "object" && value !== null)
      copy[head] = { ...value, [tail]: mark((value as Record<string, unknown>)[tail]) };
  }
  return fingerprintOf(copy);
}

/** The secret names a credential field references. */
export function secretNamesOf(...values: unknown[]): string[] {
  const names: string[] = [];
  for (const value of values) {
    if (
      typeof value === "object" &&
      value !== null &&
      typeof (value as { $secret?: unknown }).$secret === "string"
    )
      names.push((value as { $secret: string }).$secret);
  }
  return names;
}

/** A stable fingerprint of settings (secret references name secrets; they are not values). */
export function fingerprintOf(settings: unknown): string {
  return JSON.stringify(settings, (_key, value: unknown) =>
    typeof value === "object" && value !== null && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : value,
  );
}
