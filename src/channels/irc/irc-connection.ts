import type { OpenClawError } from "../../errors.js";
import { ChannelSendError, channelAuthError, channelConnectError } from "../core/channel-errors.js";
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_REALNAME,
  type IrcAccountOptions,
  redactSecrets,
  secretsOf,
} from "./irc-account-options.js";
import { type IrcCasemapping, parseCasemapping } from "./irc-casemapping.js";
import { describeEarlyClose, describeError, PASSWORD_REFUSAL, socketErrorText } from "./irc-failure-text.js";
import { createIrcFrameworkClient, type IrcFrameworkMessageEvent } from "./irc-framework-client.js";
import type { IrcPrivmsg } from "./irc-inbound-message.js";
import { ircTlsTransport } from "./irc-tls-transport.js";

export const IRC_CHANNEL = "irc";

/** QUIT is answered by the server closing the socket; past this the account closes it itself. */
const QUIT_GRACE_MS = 500;

/** What a live connection reports; each call is made at most once per event, never throws back. */
export interface IrcConnectionHandlers {
  /** Comes with the connection: a message can arrive before `openIrcConnection` has resolved. */
  privmsg(message: IrcPrivmsg, connection: IrcConnection): void;
  /** The connection ended without `close()` being called (a server restart, a ping timeout). */
  lost(error: OpenClawError): void;
  /** A listener threw after registration: the account is in an unknown state. */
  failed(error: unknown): void;
  warn(message: string, details?: Record<string, unknown>): void;
}

/** A registered IRC connection. */
export interface IrcConnection {
  /** The nick the server knows us by now (a NICK can change it). */
  readonly nick: string;
  readonly casemapping: IrcCasemapping;
  readonly connected: boolean;
  isChannelName(target: string): boolean;
  /** Writes one raw line; resolves once the socket took it. Not connected: a retryable `ChannelSendError`. */
  writeLine(line: string): Promise<void>;
  /** Sends QUIT and closes within about half a second. */
  close(): Promise<void>;
}

/**
 * Connects and registers (PASS, SASL, NICK/USER), resolving once the server welcomes us
 * (001) and rejecting with `OC_ERR_CHANNEL_AUTH` when it refuses a credential, or
 * `OC_ERR_CHANNEL_CONNECT` for everything else (refused, timed out, nick taken, aborted).
 * irc-framework's own reconnect is off: the channel supervisor owns retries and back-off.
 */
export function openIrcConnection(
  options: IrcAccountOptions,
  handlers: IrcConnectionHandlers,
  signal: AbortSignal,
): Promise<IrcConnection> {
  const client = createIrcFrameworkClient();
  const secrets = secretsOf(options);
  const where = `${options.host}:${options.port}`;
  const connectError = (detail: string) => channelConnectError(IRC_CHANNEL, options.accountId, detail);
  const authError = (detail: string) => channelAuthError(IRC_CHANNEL, options.accountId, detail);
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;

  let registered = false;
  let settled = false;
  let closing = false;
  let closed = false;
  let lastSocketError: Error | undefined;
  let serverError: string | undefined;
  const closeWaiters: Array<() => void> = [];

  const forceClose = () => {
    try {
      client.connection.transport?.close(true);
    } catch {
      // The socket is already gone: nothing left to close.
    }
  };

  return new Promise<IrcConnection>((resolve, reject) => {
    const fail = (error: OpenClawError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      closing = true;
      forceClose();
      reject(error);
    };
    const onAbort = () => fail(connectError("stopped before the server registered the connection"));
    const timer = setTimeout(
      () => fail(connectError(`${where} did not register the connection within ${timeoutMs} ms`)),
      timeoutMs,
    );
    signal.addEventListener("abort", onAbort, { once: true });

    /**
     * irc-framework calls listeners from inside its socket handlers: an exception would be an
     * uncaught one and take the process down, so every listener goes through here.
     */
    const guard =
      <Payload>(listener: (payload: Payload) => void) =>
      (payload: Payload) => {
        try {
          listener(payload);
        } catch (error) {
          if (registered) handlers.failed(error);
          else
            fail(connectError(`the IRC client failed while registering: ${describeError(error, secrets)}`));
        }
      };

    const connection: IrcConnection = {
      get nick() {
        return client.user.nick;
      },
      get casemapping() {
        return parseCasemapping(client.network.options.CASEMAPPING);
      },
      get connected() {
        return registered && !closing && !closed && client.connected;
      },
      isChannelName: (target) => client.network.isChannelName(target),
      writeLine(line) {
        if (!connection.connected) {
          return Promise.reject(new ChannelSendError("the IRC connection is not open", { retryable: true }));
        }
        return new Promise((resolveWrite, rejectWrite) => {
          client.connection.write(line, (error) => {
            if (error) {
              rejectWrite(
                new ChannelSendError("the IRC connection broke while sending", { retryable: true }),
              );
            } else resolveWrite();
          });
        });
      },
      close() {
        if (closed) return Promise.resolve();
        closing = true;
        return new Promise((resolveClose) => {
          const grace = setTimeout(() => {
            forceClose();
            resolveClose();
          }, QUIT_GRACE_MS);
          closeWaiters.push(() => {
            clearTimeout(grace);
            resolveClose();
          });
          try {
            client.quit("OpenClaw stopping");
          } catch {
            forceClose();
          }
        });
      },
    };

    client.on(
      "registered",
      guard((event) => {
        if (settled) return;
        registered = true;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        options.log?.("info", "irc registered", {
          accountId: options.accountId,
          server: where,
          nick: event.nick,
        });
        if (options.nickservPassword) {
          // Straight to the socket, never through a logger: the line holds the password.
          client.connection.write(`PRIVMSG NickServ :IDENTIFY ${options.nickservPassword}`);
        }
        for (const channel of options.channels) client.join(channel);
        resolve(connection);
      }),
    );

    client.on(
      "irc error",
      guard((event) => {
        const reason = event.reason ? redactSecrets(event.reason, secrets) : undefined;
        // `ERROR` comes just before the server closes: its text says why (a ping timeout, a kill).
        if (event.error === "irc") serverError = reason;
        if (!registered) {
          if (event.error === "password_mismatch") fail(authError("the server refused the password (464)"));
          // Some servers (ngIRCd) skip 464 and only close with `ERROR :Access denied: Bad password?`.
          else if (event.error === "irc" && reason && PASSWORD_REFUSAL.test(reason)) {
            fail(authError(`the server refused the password: ${reason}`));
          }
          return;
        }
        handlers.warn(`irc server error: ${event.error}`, {
          ...(event.channel ? { channel: event.channel } : {}),
          ...(reason ? { reason } : {}),
        });
      }),
    );

    client.on(
      "sasl failed",
      guard((event) => {
        const detail =
          event.reason === "capability_missing" ? "the server does not offer SASL" : "SASL PLAIN was refused";
        fail(authError(`${detail} (${event.reason === "fail" ? "904" : event.reason})`));
      }),
    );
    client.on(
      "nick in use",
      guard(() => {
        if (!registered) fail(connectError(`the nick "${options.nick}" is already in use on ${where}`));
      }),
    );
    client.on(
      "nick invalid",
      guard(() => {
        if (!registered) fail(connectError(`${where} refused "${options.nick}" as a nick`));
      }),
    );
    client.on(
      "kick",
      guard((event) => {
        if (event.kicked === client.user.nick)
          handlers.warn("irc kicked from a channel", { channel: event.channel });
      }),
    );

    client.on(
      "socket close",
      guard((error) => {
        if (error) lastSocketError = error;
      }),
    );
    client.on(
      "close",
      guard(() => {
        closed = true;
        for (const waiter of closeWaiters.splice(0)) waiter();
        if (!registered) {
          fail(connectError(describeEarlyClose(where, lastSocketError, serverError, secrets)));
          return;
        }
        if (closing) return;
        closing = true;
        const reason =
          serverError ?? (lastSocketError ? socketErrorText(lastSocketError, secrets) : undefined);
        handlers.lost(connectError(`the connection to ${where} closed${reason ? `: ${reason}` : ""}`));
      }),
    );

    const onMessage = (isAction: boolean) =>
      guard((event: IrcFrameworkMessageEvent) => {
        if (!registered || closing || event.from_server || !event.nick) return;
        handlers.privmsg(
          {
            nick: event.nick,
            ident: event.ident ?? "",
            hostname: event.hostname ?? "",
            target: event.target,
            text: event.message ?? "",
            isAction,
            time: typeof event.time === "number" ? event.time : undefined,
          },
          connection,
        );
      });
    client.on("privmsg", onMessage(false));
    client.on("action", onMessage(true));
    client.on("error", () => {});

    try {
      client.connect({
        host: options.host,
        port: options.port,
        tls: options.tls,
        rejectUnauthorized: options.rejectUnauthorized ?? true,
        ...(options.tls && options.ca !== undefined ? { ca: options.ca, transport: ircTlsTransport() } : {}),
        nick: options.nick,
        username: options.username ?? options.nick,
        gecos: options.realname ?? DEFAULT_REALNAME,
        ...(options.serverPassword ? { password: options.serverPassword } : {}),
        account: options.sasl ? { account: options.sasl.account, password: options.sasl.password } : {},
        auto_reconnect: false,
        sasl_disconnect_on_fail: false,
        ping_interval: 30,
        ping_timeout: 120,
        version: "OpenClaw",
        encoding: "utf8",
      });
    } catch (error) {
      fail(connectError(`cannot open a connection to ${where}: ${describeError(error, secrets)}`));
    }
  });
}
