import { Counter, Gauge, type Registry } from "prom-client";

/** What a channel account reports at scrape time. */
export interface ChannelAccountSample {
  channel: string;
  accountId: string;
  state: string;
  inboxDepth: number;
}

const STATES = ["starting", "ready", "degraded", "standby", "stopped"] as const;

/** Messaging channels: messages in and out, sends that failed, inbox depth, account state. */
export class ChannelMetrics {
  private readonly messages: Counter<"channel" | "account" | "direction">;
  private readonly sendFailures: Counter<"channel" | "account" | "code">;
  private readonly depth: Gauge<"channel" | "account">;
  private readonly state: Gauge<"channel" | "account" | "state">;

  constructor(registry: Registry) {
    this.messages = new Counter({
      name: "openclaw_channel_messages_total",
      help: "Channel messages, by channel, account and direction: in (stored in the inbox) or out (sent, chunks counted one by one).",
      labelNames: ["channel", "account", "direction"],
      registers: [registry],
    });
    this.sendFailures = new Counter({
      name: "openclaw_channel_send_failures_total",
      help: "Channel sends that failed after their retries, by error code (the reply stays in the inbox when retryable).",
      labelNames: ["channel", "account", "code"],
      registers: [registry],
    });
    this.depth = new Gauge({
      name: "openclaw_channel_inbox_depth",
      help: "Inbox entries not yet answered, per channel account.",
      labelNames: ["channel", "account"],
      registers: [registry],
    });
    this.state = new Gauge({
      name: "openclaw_channel_account_state",
      help: "1 for the state each channel account is in (starting, ready, degraded, stopped), 0 for the others.",
      labelNames: ["channel", "account", "state"],
      registers: [registry],
    });
  }

  recordInbound(channel: string, account: string, count: number): void {
    this.messages.inc({ channel, account, direction: "in" }, count);
  }

  recordOutbound(channel: string, account: string): void {
    this.messages.inc({ channel, account, direction: "out" });
  }

  recordSendFailure(channel: string, account: string, code: string): void {
    this.sendFailures.inc({ channel, account, code });
  }

  update(samples: readonly ChannelAccountSample[]): void {
    this.depth.reset();
    this.state.reset();
    for (const sample of samples) {
      const labels = { channel: sample.channel, account: sample.accountId };
      this.depth.set(labels, sample.inboxDepth);
      for (const state of STATES) this.state.set({ ...labels, state }, sample.state === state ? 1 : 0);
    }
  }
}
