import type { OutboundTarget } from "./channel-account.js";
import type { OutboundSender } from "./outbound-sender.js";

export interface ReplyPreviewOptions {
  sender: OutboundSender;
  target: OutboundTarget;
  /** Edits at most this often: Telegram allows about one edit a second per chat. */
  intervalMs: number;
  /** The first preview waits this long, so a short reply is one message, not a message and an edit. */
  firstDelayMs: number;
  /** A preview longer than one message shows its start and an ellipsis. */
  maxChars: number;
  /** A preview message from an earlier attempt of this reply (after a restart): edited, not sent again. */
  messageId?: string;
  /** Told once the preview message exists, so the inbox remembers it. */
  onMessage: (messageId: string) => Promise<void>;
  onError: (error: unknown) => void;
}

/**
 * A streamed reply shown as it comes: one message, edited in place at a bounded rate. It is a
 * courtesy: a failed preview edit is logged and the final reply is still sent through the
 * inbox's chunks (the first of which replaces the preview).
 */
export class ReplyPreview {
  private text = "";
  private shown = "";
  private messageId: string | undefined;
  private lastEditAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private finished = false;

  constructor(private readonly options: ReplyPreviewOptions) {
    this.messageId = options.messageId;
  }

  append(delta: string): void {
    if (this.finished) return;
    this.text += delta;
    this.schedule();
  }

  /** Stops previewing; resolves with the preview's message id, if one was sent. */
  async finish(): Promise<string | undefined> {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
    return this.messageId;
  }

  private schedule(): void {
    if (this.timer || this.flushing || this.finished) return;
    const delay =
      this.messageId === undefined && this.lastEditAt === 0
        ? this.options.firstDelayMs
        : Math.max(0, this.lastEditAt + this.options.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flush().finally(() => {
        this.flushing = undefined;
        if (this.previewText() !== this.shown) this.schedule();
      });
    }, delay);
  }

  private previewText(): string {
    const { maxChars } = this.options;
    const trimmed = this.text.trim();
    return trimmed.length > maxChars ? `${trimmed.slice(0, maxChars - 1)}…` : trimmed;
  }

  private async flush(): Promise<void> {
    if (this.finished) return;
    const preview = this.previewText();
    if (preview === "" || preview === this.shown) return;
    this.lastEditAt = Date.now();
    try {
      if (this.messageId === undefined) {
        const sent = await this.options.sender.send(this.options.target, preview);
        this.messageId = sent.messageId;
        await this.options.onMessage(sent.messageId);
      } else {
        await this.options.sender.edit(this.options.target, this.messageId, preview);
      }
    } catch (error) {
      this.options.onError(error);
    }
    // Shown or failed: either way not tried again until the text changes.
    this.shown = preview;
  }
}
