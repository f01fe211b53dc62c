import { SocketModeClient } from "@slack/socket-mode";
import type { OpenClawError } from "../../errors.js";
import type { SlackEventCallback } from "./normalize-slack-event.js";
import type { SlackLog } from "./slack-account-options.js";
import { describeSlackFailure, isAuthFailure, toConnectError } from "./slack-api-failure.js";
import { slackLibraryLogger } from "./slack-library-logger.js";

export interface SocketReceiverSettings {
  accountId: string;
  appToken: string;
  apiUrl: string;
  /** Stores what an `events_api` envelope carries; the envelope is acked only once it resolves. */
  receive: (callback: SlackEventCallback) => Promise<void>;
  /** The connection cannot come back (the app token was revoked): the account is degraded. */
  fail: (error: OpenClawError) => void;
  warn: (message: string, details?: Record<string, unknown>) => void;
  log: SlackLog;
  reconnectBaseMs: number;
}

const RECONNECT_MAX_MS = 30_000;

/**
 * Socket Mode: `apps.connections.open` with the app token gives a WebSocket URL; Slack sends
 * `hello`, then envelopes, each acked with its `envelope_id`. An envelope is acked only after
 * its event is stored, so one lost in a crash is redelivered by Slack. The library's own
 * reconnect is off: it retries from a timer whose failure nothing catches, and cannot tell a
 * revoked token from a network blip. Here a dropped socket (Slack's `disconnect`, a network
 * error) reconnects with back-off from 2 s to 30 s, and an auth refusal fails the account.
 */
export class SlackSocketReceiver {
  readonly #settings: SocketReceiverSettings;
  readonly #client: SocketModeClient;
  #stopping = false;
  #connecting = false;
  #timer: NodeJS.Timeout | undefined;
  #delayMs: number;

  constructor(settings: SocketReceiverSettings) {
    this.#settings = settings;
    this.#delayMs = settings.reconnectBaseMs;
    this.#client = new SocketModeClient({
      appToken: settings.appToken,
      autoReconnectEnabled: false,
      // OpenClaw's pong timeout: a connection silent this long is dead.
      clientPingTimeout: 15_000,
      logger: slackLibraryLogger(settings.log, "slack socket mode"),
      clientOptions: {
        slackApiUrl: settings.apiUrl,
        // Reconnects are paced here; one call is not retried for minutes inside the library.
        retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 1000, factor: 2 },
        timeout: 30_000,
      },
    });
    this.#client.on("slack_event", (envelope: Envelope) => void this.#onEnvelope(envelope));
    this.#client.on("disconnected", () => this.#onDisconnected());
  }

  /** Connects; rejects with a connect or auth error when the first connection cannot be made. */
  async start(): Promise<void> {
    this.#connecting = true;
    try {
      await this.#client.start();
    } catch (error) {
      throw toConnectError(
        describeSlackFailure("apps.connections.open", error),
        this.#settings.accountId,
        "appToken",
      );
    } finally {
      this.#connecting = false;
    }
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    await this.#client.disconnect().catch(() => {});
  }

  async #onEnvelope(envelope: Envelope): Promise<void> {
    if (envelope.type === "events_api") {
      try {
        await this.#settings.receive(envelope.body as SlackEventCallback);
      } catch (error) {
        // Not acked: Slack redelivers it (retry_attempt) a little later.
        this.#settings.warn("slack event could not be stored; Slack will send it again", {
          envelopeId: envelope.envelope_id,
          reason: error instanceof Error ? error.message : String(error),
        });
        return;
      }
    }
    // Everything else (slash commands, interactivity) is acked and not served here.
    await envelope.ack().catch((error: unknown) =>
      this.#settings.log("debug", "slack envelope ack failed; Slack will send it again", {
        envelopeId: envelope.envelope_id,
        reason: error instanceof Error ? error.name : String(error),
      }),
    );
  }

  #onDisconnected(): void {
    if (this.#stopping || this.#connecting || this.#timer) return;
    this.#settings.warn("slack socket mode connection closed; reconnecting", { inMs: this.#delayMs });
    this.#schedule();
  }

  #schedule(): void {
    const delay = this.#delayMs;
    this.#delayMs = Math.min(this.#delayMs * 2, RECONNECT_MAX_MS);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#reconnect();
    }, delay);
  }

  async #reconnect(): Promise<void> {
    if (this.#stopping) return;
    this.#connecting = true;
    try {
      await this.#client.start();
      this.#delayMs = this.#settings.reconnectBaseMs;
      this.#settings.log("info", "slack socket mode reconnected", { accountId: this.#settings.accountId });
    } catch (error) {
      if (this.#stopping) return;
      const failure = describeSlackFailure("apps.connections.open", error);
      if (isAuthFailure(failure)) {
        this.#settings.fail(toConnectError(failure, this.#settings.accountId, "appToken"));
        return;
      }
      this.#settings.warn("slack socket mode reconnect failed; trying again", { inMs: this.#delayMs });
      this.#schedule();
    } finally {
      this.#connecting = false;
    }
  }
}

interface Envelope {
  type: string;
  envelope_id: string;
  body: unknown;
  ack: (response?: Record<string, unknown>) => Promise<void>;
}
