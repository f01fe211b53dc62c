/**
 * What the inbox needs of a message: who it came through and its platform id. The rest (the
 * channels' normalized message) is stored as given, as JSON.
 */
export interface InboxMessage {
  channel: string;
  accountId: string;
  messageId: string;
}

/**
 * Where a received message is on its way to a reply:
 * - `pending`: stored, no turn started yet (or the gateway stopped before one did);
 * - `running`: a turn was started for it (a restart finds it here when killed mid-turn);
 * - `replying`: the turn's reply is stored, its chunks are being sent (`sentChunks` so far);
 * - `replied`: every chunk was sent;
 * - `dropped`: not for an agent (a pairing request, a group message without a mention, a
 *   refused sender): kept so that a redelivery is recognized, never run.
 */
export type InboxState = "pending" | "running" | "replying" | "replied" | "dropped";

export interface InboxEntry<M extends InboxMessage = InboxMessage> {
  /** The store's own id, increasing in the order messages were added. */
  id: number;
  message: M;
  state: InboxState;
  receivedAt: number;
  /** Turns started for it: more than one means a restart re-ran it. */
  attempts: number;
  /** The agent and session its turn runs on, once routed. */
  agentId?: string;
  sessionKey?: string;
  /** The reply, split into the chunks the channel sends, once the turn has ended. */
  replyChunks?: string[];
  /** How many of `replyChunks` were sent (each sent-mark is written right after its send). */
  sentChunks: number;
  /** The platform ids of the sent chunks, in order. */
  sentMessageIds: string[];
  /** The live preview's platform message id, when the reply streamed into one. */
  previewMessageId?: string;
  /** Why it was dropped, or why its reply failed for good. */
  reason?: string;
  updatedAt: number;
}

/** What `add` did with each message, in order. */
export interface InboxAddResult<M extends InboxMessage = InboxMessage> {
  /** Stored now: the caller processes these. */
  added: InboxEntry<M>[];
  /** Already stored (a redelivery): nothing to do. */
  duplicates: number;
}

/**
 * The channels' durable inbox (Vercel Chat SDK's state adapter plays this part): a message is
 * stored before its channel's cursor moves, and its progress to a reply is written at each
 * step, so a gateway killed at any point resumes each message where it stood. Keyed by
 * (channel, accountId, messageId): a platform that delivers a message again is deduped.
 * Every method throws a typed error (OC_ERR_DISK_FULL, OC_ERR_STATE_FILE) when it cannot write;
 * a write that threw did not happen. A change of an unknown id throws OC_ERR_NOT_FOUND; a change
 * the entry's state does not allow (named on each method; a finished entry allows none) throws
 * OC_ERR_INTERNAL and writes nothing.
 */
export interface ChannelInboxStore<M extends InboxMessage = InboxMessage> {
  add(messages: readonly M[]): Promise<InboxAddResult<M>>;
  get(id: number): Promise<InboxEntry<M> | undefined>;
  /** Entries in `pending`, `running` or `replying`, oldest first: what a start resumes. */
  unfinished(): Promise<InboxEntry<M>[]>;
  /** A turn starts for it (from `pending`, or `running` again): `running`, attempts + 1, with where it is routed. */
  markRunning(id: number, route: { agentId: string; sessionKey: string }): Promise<InboxEntry<M>>;
  /** While unfinished. */
  setPreview(id: number, platformMessageId: string): Promise<void>;
  /**
   * The turn ended (from `running`, or `pending` for a reply without a turn): its reply chunks are
   * stored and it is `replying` (or `replied` if none).
   */
  setReply(id: number, chunks: readonly string[]): Promise<InboxEntry<M>>;
  /**
   * Chunk `index` was sent (while `replying`, and only the next one: index = sentChunks):
   * sentChunks = index + 1; `replied` after the last one.
   */
  markChunkSent(id: number, index: number, platformMessageId: string): Promise<InboxEntry<M>>;
  /** Ends an unfinished entry without (more of) a reply: `dropped` with why. */
  drop(id: number, reason: string): Promise<void>;
  /** How many entries are unfinished, per channel account (`telegram:default`). */
  depth(): Promise<Record<string, number>>;
  /**
   * Forgets finished entries last updated before `before` (epoch ms). Kept until then so that
   * a late redelivery is still recognized. Returns how many went.
   */
  prune(before: number): Promise<number>;
}

/** The default dedupe window: finished entries are kept this long. */
export const INBOX_RETENTION_MS = 7 * 24 * 60 * 60_000;
