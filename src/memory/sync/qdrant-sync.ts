import { OpenClawError } from "../../errors.js";
import type { Logger } from "../../logging/index.js";
import { backoffDelayMs } from "./backoff.js";
import { coalesceEntries } from "./coalesce-entries.js";
import type { Outbox, OutboxEntry } from "./outbox.js";
import { describeQdrantError, ensureCollection, isNotFound, type QdrantLike } from "./qdrant-collection.js";
import {
  type QdrantMemoryPoint,
  type QdrantSearchHit,
  scrollAgentPoints,
  searchPoints,
  sendRun,
} from "./qdrant-points.js";
import type { QdrantSyncOptions } from "./qdrant-sync-options.js";
import type { QdrantSyncHealth, QdrantSyncState, QdrantSyncStatus } from "./qdrant-sync-status.js";

/** Thrown inside a pass that `stop()` left: the pass ends without acking or counting a failure. */
class PassAbandoned extends Error {}

const RETRY_HINT =
  "the memories stay queued in the agent's store and are sent once Qdrant answers; check memory.qdrant.url";

/**
 * Drains one agent's memory outbox into a Qdrant collection. Entries leave the outbox only after
 * Qdrant confirmed them (`wait: true`), point ids are derived from the memory id, and a failed
 * pass keeps everything queued: at-least-once delivery with idempotent writes, so a crash or an
 * outage costs a re-send, never a lost or doubled memory.
 */
export class QdrantSync {
  private readonly agentId: string;
  private readonly outbox: Outbox;
  private readonly client: QdrantLike;
  private readonly collection: string;
  private readonly dimensions: number;
  private readonly logger: Logger;
  private readonly batchSize: number;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly now: () => number;
  private readonly kickDelayMs: number;
  private readonly pollIntervalMs: number;
  private readonly stopTimeoutMs: number;
  private readonly random: () => number;

  private running = false;
  private syncing = false;
  private collectionReady = false;
  /** A state retrying cannot fix (the collection takes other vectors); cleared by `resync()`. */
  private fatal: OpenClawError | undefined;
  private consecutiveFailures = 0;
  private lastError: string | undefined;
  private lastSyncAt: string | undefined;
  private backoffMs: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private timerDueAt = 0;
  /** Bumped by `stop()`: a pass started before it neither acks nor starts another batch. */
  private epoch = 0;
  /** Passes and resyncs run one at a time, in call order. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(options: QdrantSyncOptions) {
    this.agentId = options.agentId;
    this.outbox = options.outbox;
    this.client = options.client;
    this.collection = options.collection;
    this.dimensions = options.dimensions;
    this.logger = options.logger.child({ component: "qdrant-sync", agent: options.agentId });
    this.batchSize = Math.max(1, options.batchSize ?? 64);
    this.minBackoffMs = Math.max(1, options.minBackoffMs ?? 500);
    this.maxBackoffMs = Math.max(this.minBackoffMs, options.maxBackoffMs ?? 30_000);
    this.now = options.now ?? Date.now;
    this.kickDelayMs = options.kickDelayMs ?? 50;
    this.pollIntervalMs = Math.max(this.minBackoffMs, options.pollIntervalMs ?? 30_000);
    this.stopTimeoutMs = options.stopTimeoutMs ?? 5000;
    this.random = options.random ?? Math.random;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.epoch += 1;
    clearTimeout(this.timer);
    this.timer = undefined;
    // The client may wait minutes on a hung Qdrant; a pass left here acks nothing, so its
    // entries are simply sent again after the next start.
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      this.tail,
      new Promise<void>((resolve) => {
        timeout = setTimeout(resolve, this.stopTimeoutMs);
        timeout.unref();
      }),
    ]);
    clearTimeout(timeout);
  }

  /** A write happened: sync soon. Ignored while backing off, so writes during an outage do not hammer Qdrant. */
  kick(): void {
    if (!this.running || this.fatal || this.syncing || this.consecutiveFailures > 0) return;
    this.schedule(this.kickDelayMs);
  }

  /** Sends everything pending, in order; resolves with the number of points written or deleted. */
  syncOnce(): Promise<{ sent: number }> {
    return this.exclusive(() => this.pass());
  }

  /** The outbox's depth and lag with the sync's health. */
  async status(): Promise<QdrantSyncStatus> {
    const [depth, oldest] = await Promise.all([this.outbox.outboxDepth(), this.outbox.oldestPendingAt()]);
    return {
      depth,
      lagMs: oldest ? Math.max(0, this.now() - Date.parse(oldest)) : undefined,
      ...this.health(),
    };
  }

  health(): QdrantSyncHealth {
    const state: QdrantSyncState = this.fatal
      ? "failed"
      : this.syncing
        ? "syncing"
        : !this.running
          ? "stopped"
          : this.consecutiveFailures > 0
            ? "backing-off"
            : "idle";
    return {
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...(this.lastSyncAt !== undefined ? { lastSyncAt: this.lastSyncAt } : {}),
      state,
      consecutiveFailures: this.consecutiveFailures,
      ...(this.backoffMs !== undefined && !this.fatal ? { backoffMs: this.backoffMs } : {}),
    };
  }

  /**
   * Deletes and recreates the collection, queues every memory again and sends them: the way out
   * of a "failed" state (the collection took vectors of another size). The collection is shared
   * by every agent that names it; their points go too.
   */
  async resync(): Promise<void> {
    await this.exclusive(async () => {
      this.syncing = true;
      try {
        try {
          await this.client.deleteCollection(this.collection);
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
        this.fatal = undefined;
        this.collectionReady = false;
        await this.prepareCollection();
        const queued = await this.outbox.enqueueAll();
        this.logger.info(
          { collection: this.collection, queued },
          "Qdrant collection recreated; sending every memory again",
        );
      } catch (error) {
        throw this.recordFailure(error);
      } finally {
        this.syncing = false;
      }
    });
    await this.syncOnce();
  }

  /** Nearest memories of this agent (mode "primary"), optionally only those carrying every tag in `filter.tags`. */
  async search(vector: number[], limit: number, filter?: { tags?: string[] }): Promise<QdrantSearchHit[]> {
    if (this.fatal) throw this.fatal;
    if (vector.length !== this.dimensions) {
      throw new OpenClawError(
        "OC_ERR_MEMORY",
        `query vector has ${vector.length} dimensions, the Qdrant collection "${this.collection}" takes ${this.dimensions}`,
        { hint: "the embedding model changed: run a memory resync" },
      );
    }
    try {
      return await searchPoints(
        this.client,
        this.collection,
        this.agentId,
        vector,
        limit,
        filter?.tags ?? [],
      );
    } catch (error) {
      throw new OpenClawError("OC_ERR_MEMORY", `Qdrant search failed: ${describeQdrantError(error)}`, {
        hint: "check memory.qdrant.url and that Qdrant is up; the local store still answers in mode sync",
        details: { collection: this.collection },
        cause: error,
      });
    }
  }

  /** Every memory of this agent that Qdrant holds, with its vector: what a repair can put back. */
  async points(): Promise<QdrantMemoryPoint[]> {
    try {
      return await scrollAgentPoints(this.client, this.collection, this.agentId);
    } catch (error) {
      throw new OpenClawError("OC_ERR_MEMORY", `Qdrant scroll failed: ${describeQdrantError(error)}`, {
        hint: "check memory.qdrant.url and that Qdrant is up",
        details: { collection: this.collection },
        cause: error,
      });
    }
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => {});
    return result;
  }

  private schedule(delayMs: number): void {
    if (!this.running || this.fatal) return;
    const dueAt = Date.now() + delayMs;
    if (this.timer && this.timerDueAt <= dueAt) return;
    clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.syncOnce().catch(() => {
        // Recorded in status() and logged by the pass; the next attempt is already scheduled.
      });
    }, delayMs);
    this.timer.unref();
  }

  private async pass(): Promise<{ sent: number }> {
    if (this.fatal) throw this.fatal;
    const epoch = this.epoch;
    this.syncing = true;
    let sent = 0;
    try {
      if (!this.collectionReady) await this.prepareCollection();
      let lastAcked = Number.NEGATIVE_INFINITY;
      for (;;) {
        if (epoch !== this.epoch) return { sent };
        const batch = await this.outbox.pendingOutbox(this.batchSize);
        if (batch.length === 0) break;
        // An outbox that hands back what it acked would make this loop spin.
        if (Math.min(...batch.map((entry) => entry.seq)) <= lastAcked) {
          throw new OpenClawError(
            "OC_ERR_INTERNAL",
            "the memory outbox returned entries that were already acknowledged",
          );
        }
        const result = await this.sendBatch(batch, epoch);
        sent += result.sent;
        lastAcked = result.lastSeq;
      }
      this.recordSuccess();
      return { sent };
    } catch (error) {
      if (error instanceof PassAbandoned) return { sent };
      throw this.recordFailure(error);
    } finally {
      this.syncing = false;
    }
  }

  private async prepareCollection(): Promise<void> {
    const check = await ensureCollection(this.client, this.collection, this.dimensions, (distance) =>
      this.logger.warn(
        { collection: this.collection, distance },
        "Qdrant collection does not use cosine distance",
      ),
    );
    if (check.kind === "mismatch") {
      this.fatal = new OpenClawError(
        "OC_ERR_MEMORY",
        `Qdrant collection "${this.collection}" has ${check.actual}, but the embeddings have ${this.dimensions} dimensions; nothing is written to it`,
        {
          hint: `set memory.qdrant.collection to another name, or run a memory resync to delete and recreate "${this.collection}"`,
          details: { collection: this.collection, dimensions: this.dimensions, actual: check.actual },
        },
      );
      this.consecutiveFailures += 1;
      this.lastError = this.fatal.message;
      this.backoffMs = undefined;
      clearTimeout(this.timer);
      this.timer = undefined;
      this.logger.error({ collection: this.collection, error: this.fatal.message }, "Qdrant sync stopped");
      throw this.fatal;
    }
    if (check.kind === "created") {
      this.logger.info(
        { collection: this.collection, dimensions: this.dimensions },
        "Qdrant collection created",
      );
    }
    this.collectionReady = true;
  }

  private async sendBatch(batch: OutboxEntry[], epoch: number): Promise<{ sent: number; lastSeq: number }> {
    const { runs, skipped, seqs } = coalesceEntries(batch, this.dimensions);
    for (const { entry, reason } of skipped) {
      this.logger.warn({ memoryId: entry.memoryId, seq: entry.seq, reason }, "memory not sent to Qdrant");
    }
    let next = 0;
    // Acks as runs land, so that a failure later in the batch re-sends only what did not.
    const ackThrough = async (seq: number) => {
      if (epoch !== this.epoch) throw new PassAbandoned();
      const settled: number[] = [];
      while (next < seqs.length && (seqs[next] as number) <= seq) settled.push(seqs[next++] as number);
      if (settled.length > 0) await this.outbox.ackOutbox(settled);
    };
    let sent = 0;
    for (const run of runs) {
      sent += await sendRun(this.client, this.collection, this.agentId, run);
      await ackThrough(run.lastSeq);
    }
    await ackThrough(Number.POSITIVE_INFINITY);
    return { sent, lastSeq: seqs.at(-1) as number };
  }

  private recordSuccess(): void {
    if (this.consecutiveFailures > 0) {
      this.logger.info({ failures: this.consecutiveFailures }, "Qdrant sync recovered");
    }
    this.consecutiveFailures = 0;
    this.lastError = undefined;
    this.backoffMs = undefined;
    this.lastSyncAt = new Date(this.now()).toISOString();
    this.schedule(this.pollIntervalMs);
  }

  private recordFailure(error: unknown): OpenClawError {
    if (error === this.fatal && this.fatal) return this.fatal;
    // The collection was deleted behind our back: create it again on the next attempt.
    if (isNotFound(error)) this.collectionReady = false;
    const message = error instanceof OpenClawError ? error.message : describeQdrantError(error);
    this.consecutiveFailures += 1;
    this.lastError = message;
    this.backoffMs = backoffDelayMs({
      attempt: this.consecutiveFailures,
      minMs: this.minBackoffMs,
      maxMs: this.maxBackoffMs,
      random: this.random,
    });
    const fields = { error: message, failures: this.consecutiveFailures, backoffMs: this.backoffMs };
    // One warning per outage; the retries of a long one go to debug.
    if (this.consecutiveFailures === 1)
      this.logger.warn(fields, "Qdrant sync failed; retrying with back-off");
    else this.logger.debug(fields, "Qdrant sync failed again");
    this.schedule(this.backoffMs);
    return new OpenClawError("OC_ERR_MEMORY", `Qdrant sync of agent "${this.agentId}" failed: ${message}`, {
      hint: RETRY_HINT,
      details: { collection: this.collection },
      cause: error,
    });
  }
}
