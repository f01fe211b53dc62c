import type {
  ChannelAccount,
  ChannelCapabilities,
  ChannelIdentity,
  InboundMessage,
  InboundSink,
  OutboundTarget,
} from "../core/channel-account.js";
import type { ChannelSendError } from "../core/channel-errors.js";
import { chunkText } from "../core/chunk-text.js";

export interface CreatedThread {
  target: OutboundTarget;
  name: string;
  intro: string;
  threadId: string;
}

export interface SentRecord {
  kind: "send" | "edit";
  target: OutboundTarget;
  messageId: string;
  text: string;
}

/**
 * A channel account for the core's tests: no platform, everything observable. `receive` plays
 * a user; `failSends` makes the next sends fail as a platform would; `sent` is what reached the
 * "platform", in order.
 */
export class FakeChannelAccount implements ChannelAccount {
  readonly capabilities: ChannelCapabilities;
  readonly sent: SentRecord[] = [];
  /** Every `createThread` call, in order (capabilities.threads "child"). */
  readonly threads: CreatedThread[] = [];
  createThread?: (target: OutboundTarget, name: string, intro: string) => Promise<{ threadId: string }>;
  sink: InboundSink | undefined;
  starts = 0;
  stops = 0;
  private nextId = 1;
  private sendFailures: ChannelSendError[] = [];
  startError: Error | undefined;
  private counter = 0;

  constructor(
    readonly channel = "fake",
    readonly accountId = "default",
    options: { edit?: boolean; chunkLimit?: number; threads?: "child" | "conversation" } = {},
  ) {
    this.capabilities = {
      edit: options.edit ?? false,
      typing: false,
      ...(options.threads ? { threads: options.threads } : {}),
    };
    // Only a platform that opens threads has the method, as the interface makes it optional.
    if (options.threads === "child") {
      this.createThread = async (target, name, intro) => {
        const threadId = `thread-${this.threads.length + 1}`;
        this.threads.push({ target, name, intro, threadId });
        // Slack's thread root, Discord's starter message: the intro is the thread's first message.
        await this.send({ ...target, threadId }, intro);
        return { threadId };
      };
    }
    this.chunkLimit = options.chunkLimit ?? 1000;
  }

  private readonly chunkLimit: number;

  async start(sink: InboundSink): Promise<ChannelIdentity> {
    this.starts += 1;
    if (this.startError) throw this.startError;
    this.sink = sink;
    return { id: "bot", username: "fakebot" };
  }

  async stop(): Promise<void> {
    this.stops += 1;
    this.sink = undefined;
  }

  chunk(markdown: string): string[] {
    return chunkText(markdown, this.chunkLimit);
  }

  async send(target: OutboundTarget, markdown: string): Promise<{ messageId: string }> {
    const failure = this.sendFailures.shift();
    if (failure) throw failure;
    const messageId = String(this.nextId++);
    this.sent.push({ kind: "send", target, messageId, text: markdown });
    return { messageId };
  }

  async edit(target: OutboundTarget, messageId: string, markdown: string): Promise<void> {
    const failure = this.sendFailures.shift();
    if (failure) throw failure;
    this.sent.push({ kind: "edit", target, messageId, text: markdown });
  }

  async typing(): Promise<void> {}

  failSends(...failures: ChannelSendError[]): void {
    this.sendFailures.push(...failures);
  }

  /** A message from `senderId` in a DM (or `peer`), delivered as the platform would. */
  async receive(
    text: string,
    options: Partial<InboundMessage> & { senderId?: string } = {},
  ): Promise<InboundMessage> {
    if (!this.sink) throw new Error("the fake account is not started");
    const { senderId = "42", ...rest } = options;
    this.counter += 1;
    const message: InboundMessage = {
      channel: this.channel,
      accountId: this.accountId,
      messageId: `m${this.counter}`,
      peer: { kind: "direct", id: senderId },
      sender: { id: senderId, name: `user ${senderId}` },
      mentioned: true,
      text,
      attachments: [],
      sentAt: Date.now(),
      ...rest,
    };
    await this.sink.deliver([message]);
    return message;
  }
}
