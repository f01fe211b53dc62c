import { createRequire } from "node:module";

/**
 * The slice of irc-framework (CommonJS, untyped) this folder uses, typed here rather than in a
 * global `declare module` so no other folder picks up these partial types by accident.
 */

export interface IrcFrameworkConnectOptions {
  host: string;
  port: number;
  tls: boolean;
  rejectUnauthorized: boolean;
  /** Read only by the `transport` from `ircTlsTransport()`: the library has no CA option. */
  ca?: string;
  /** The class irc-framework makes its socket with; its own TCP/TLS transport by default. */
  transport?: unknown;
  nick: string;
  username: string;
  gecos: string;
  /** Sent as `PASS`. */
  password?: string;
  /**
   * SASL PLAIN credentials. An object without `account` turns SASL off: without it the library
   * would offer the server password as a SASL password too.
   */
  account: { account?: string; password?: string };
  auto_reconnect: boolean;
  sasl_disconnect_on_fail: boolean;
  ping_interval: number;
  ping_timeout: number;
  version: string;
  encoding: "utf8";
}

/** A PRIVMSG or CTCP ACTION as the library parses it. */
export interface IrcFrameworkMessageEvent {
  from_server: boolean;
  nick: string;
  ident: string;
  hostname: string;
  target: string;
  message: string;
  /** The IRCv3 `server-time` of the message, when the server sends one. */
  time?: number;
}

export interface IrcFrameworkEvents {
  registered: { nick: string };
  privmsg: IrcFrameworkMessageEvent;
  action: IrcFrameworkMessageEvent;
  /** Numeric errors (`password_mismatch` for 464) and the `ERROR` command (`irc`). */
  "irc error": { error: string; reason?: string; channel?: string; nick?: string };
  "sasl failed": { reason: string; message?: string };
  "nick in use": { nick: string; reason?: string };
  "nick invalid": { nick: string; reason?: string };
  /** The socket closed; the error the socket saw last, if any (ECONNREFUSED). */
  "socket close": Error | false | undefined;
  /** The connection is over (auto-reconnect off: after every socket close). */
  close: boolean;
  kick: { kicked: string; channel: string; nick: string; message?: string };
}

export interface IrcFrameworkClient {
  connect(options: IrcFrameworkConnectOptions): void;
  on<Name extends keyof IrcFrameworkEvents>(
    event: Name,
    listener: (payload: IrcFrameworkEvents[Name]) => void,
  ): unknown;
  on(event: "error", listener: (error: unknown) => void): unknown;
  removeAllListeners(): unknown;
  join(channel: string): void;
  quit(message?: string): void;
  readonly connected: boolean;
  readonly user: { nick: string };
  readonly network: {
    /** RPL_ISUPPORT tokens (`CASEMAPPING`, `CHANTYPES`). */
    options: Record<string, unknown>;
    isChannelName(name: string): boolean;
  };
  readonly connection: {
    /** Writes one line (CRLF added); `callback` runs once the socket took it, or when not connected. */
    write(line: string, callback?: (error?: Error | null) => void): boolean;
    transport: { close(force?: boolean): void } | null;
  };
}

const require = createRequire(import.meta.url);

export function createIrcFrameworkClient(): IrcFrameworkClient {
  const ircFramework = require("irc-framework") as { Client: new () => IrcFrameworkClient };
  return new ircFramework.Client();
}
