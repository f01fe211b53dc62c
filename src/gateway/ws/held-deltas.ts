/**
 * Over this much unsent data on a connection, its chat deltas are held and merged instead of
 * written. Well under MAX_BUFFERED_BYTES (where the connection is closed as a slow consumer):
 * a client on a slow link falls behind on live text, not off the gateway.
 */
export const HOLD_DELTAS_ABOVE_BYTES = 1024 * 1024;
/** How often held deltas look for room while the socket drains (`ws` has no drain event). */
export const HELD_DELTAS_POLL_MS = 50;

type Payload = Record<string, unknown>;

export interface HeldDeltasOptions {
  /** What the socket has not sent yet, in bytes. */
  bufferedBytes(): number;
  /** Writes one event frame now. */
  write(event: string, payload: unknown): void;
  setInterval?: (callback: () => void, intervalMs: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

function isDelta(event: string, payload: unknown): payload is Payload {
  return event === "chat" && (payload as Payload | null)?.state === "delta";
}

/**
 * One connection's outgoing events, with backpressure on live text. While the socket is behind,
 * each run's deltas merge into one (the texts joined, the latest seq and message kept, as
 * OpenClaw's gateway merges them), so what the gateway holds for a slow client is bounded by
 * the text of the runs in flight, not by how many deltas they made. Anything that is not a
 * delta (a tool call, the final answer) first releases what is held: order is kept.
 */
export class HeldDeltas {
  private readonly held = new Map<unknown, Payload>();
  private poll: unknown;

  constructor(private readonly options: HeldDeltasOptions) {}

  send(event: string, payload: unknown): void {
    if (isDelta(event, payload) && this.options.bufferedBytes() > HOLD_DELTAS_ABOVE_BYTES) {
      this.hold(payload);
      return;
    }
    this.release();
    this.options.write(event, payload);
  }

  /** Writes every held delta, oldest run first. */
  release(): void {
    if (this.held.size === 0) return;
    const merged = [...this.held.values()];
    this.held.clear();
    this.stopPolling();
    for (const payload of merged) this.options.write("chat", payload);
  }

  dispose(): void {
    this.held.clear();
    this.stopPolling();
  }

  get heldRuns(): number {
    return this.held.size;
  }

  private hold(payload: Payload): void {
    const previous = this.held.get(payload.runId);
    this.held.set(
      payload.runId,
      previous
        ? { ...payload, deltaText: `${String(previous.deltaText ?? "")}${String(payload.deltaText ?? "")}` }
        : payload,
    );
    if (this.poll === undefined) {
      const every = this.options.setInterval ?? ((callback, intervalMs) => setInterval(callback, intervalMs));
      this.poll = every(() => {
        if (this.options.bufferedBytes() <= HOLD_DELTAS_ABOVE_BYTES) this.release();
      }, HELD_DELTAS_POLL_MS);
      (this.poll as NodeJS.Timeout).unref?.();
    }
  }

  private stopPolling(): void {
    if (this.poll === undefined) return;
    const stop = this.options.clearInterval ?? ((handle) => clearInterval(handle as NodeJS.Timeout));
    stop(this.poll);
    this.poll = undefined;
  }
}
