import type { ChannelLog, ChannelLogLevel } from "../core/channel-log.js";
import type { FloodControl } from "./flood-queue.js";

export type IrcLogLevel = ChannelLogLevel;

export interface IrcAccountOptions {
  accountId: string;
  host: string;
  port: number;
  tls: boolean;
  /** Verify the server's TLS certificate (default true). */
  rejectUnauthorized?: boolean;
  /**
   * PEM certificates to trust instead of the system's CAs, with `tls`: a private CA, or a server's
   * self-signed certificate. The certificate is still verified, host name included.
   */
  ca?: string;
  nick: string;
  /** Default: the nick. */
  username?: string;
  /** Default: `OpenClaw`. */
  realname?: string;
  /** Sent as `PASS`. A resolved secret: never logged, never in an error or a status. */
  serverPassword?: string;
  /** Sent to NickServ as `IDENTIFY` once registered. A secret. */
  nickservPassword?: string;
  /** SASL PLAIN during registration. A secret. */
  sasl?: { account: string; password: string };
  /** Joined once registered (`#ops`). */
  channels: string[];
  /** Default: 4 lines at once, then one per 500 ms. */
  flood?: FloodControl;
  /** How long connecting and registering may take (default 10 s). */
  connectTimeoutMs?: number;
  log?: ChannelLog;
}

export const DEFAULT_FLOOD_CONTROL: FloodControl = { burst: 4, intervalMs: 500 };
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_REALNAME = "OpenClaw";

/** Every secret the options hold, so any text from the server can be scrubbed of them. */
export function secretsOf(options: IrcAccountOptions): string[] {
  return [options.serverPassword, options.nickservPassword, options.sasl?.password].filter(
    (secret): secret is string => typeof secret === "string" && secret.length > 0,
  );
}

/** Replaces every occurrence of a secret in `text`: servers echo odd things back in ERROR lines. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text;
  for (const secret of secrets) redacted = redacted.replaceAll(secret, "[redacted]");
  return redacted;
}
