import { OpenClawError } from "../errors.js";
import type { InboxEntry, InboxMessage, InboxState } from "./channel-inbox-store.js";

/** What a start resumes; every other state is finished. */
export const UNFINISHED_INBOX_STATES = ["pending", "running", "replying"] as const satisfies InboxState[];
export const FINISHED_INBOX_STATES = ["replied", "dropped"] as const satisfies InboxState[];

export type InboxChange = "markRunning" | "setPreview" | "setReply" | "markChunkSent" | "drop";

/**
 * The states each change may start from, for every backend. `running` may run again (a restart
 * re-runs a turn it was killed in); a reply may come without a turn (a command answered by the
 * channel itself); a finished entry never changes again, so a late duplicate call is refused
 * rather than reviving it.
 */
export const INBOX_CHANGE_FROM: Record<InboxChange, readonly InboxState[]> = {
  markRunning: ["pending", "running"],
  setPreview: ["pending", "running", "replying"],
  setReply: ["pending", "running"],
  markChunkSent: ["replying"],
  drop: UNFINISHED_INBOX_STATES,
};

export function isUnfinished(state: InboxState): boolean {
  return (UNFINISHED_INBOX_STATES as readonly InboxState[]).includes(state);
}

/** The key `depth()` counts under: `telegram:default`. */
export function inboxDepthKey(channel: string, accountId: string): string {
  return `${channel}:${accountId}`;
}

export function inboxEntryNotFound(id: number): OpenClawError {
  return new OpenClawError("OC_ERR_NOT_FOUND", `no inbox entry ${id}`, {
    hint: "it was pruned after its retention, or never added: the channel's delivery has a bug, report it",
    details: { id },
  });
}

/** Why `change` cannot apply to `entry` now (its state, or a chunk out of order). */
export function inboxChangeRefused(entry: InboxEntry, change: InboxChange, index?: number): OpenClawError {
  const allowed = INBOX_CHANGE_FROM[change];
  const message = allowed.includes(entry.state)
    ? `inbox entry ${entry.id} has sent ${entry.sentChunks} of ${entry.replyChunks?.length ?? 0} chunks: chunk ${index} cannot be marked sent next`
    : `inbox entry ${entry.id} is ${entry.state}: ${change} needs it ${allowed.join(" or ")}`;
  return new OpenClawError("OC_ERR_INTERNAL", message, {
    hint: "the channel's delivery has a bug: report it with the gateway log",
    details: { id: entry.id, state: entry.state, change },
  });
}

/**
 * Each change's new entry, for the backends that store whole entries (memory, PostgreSQL); the
 * SQLite one says the same in SQL. Whether the change may apply is INBOX_CHANGE_FROM's, and for
 * `markChunkSent` the chunk must be the next one (`chunkIsNext`).
 */
export const inboxTransitions = {
  markRunning: <M extends InboxMessage>(
    entry: InboxEntry<M>,
    route: { agentId: string; sessionKey: string },
  ): InboxEntry<M> => ({
    ...entry,
    state: "running",
    attempts: entry.attempts + 1,
    agentId: route.agentId,
    sessionKey: route.sessionKey,
  }),
  setPreview: <M extends InboxMessage>(entry: InboxEntry<M>, platformMessageId: string): InboxEntry<M> => ({
    ...entry,
    previewMessageId: platformMessageId,
  }),
  setReply: <M extends InboxMessage>(entry: InboxEntry<M>, chunks: readonly string[]): InboxEntry<M> => ({
    ...entry,
    state: chunks.length === 0 ? "replied" : "replying",
    replyChunks: [...chunks],
    sentChunks: 0,
    sentMessageIds: [],
  }),
  markChunkSent: <M extends InboxMessage>(
    entry: InboxEntry<M>,
    index: number,
    platformMessageId: string,
  ): InboxEntry<M> => ({
    ...entry,
    state: index + 1 >= (entry.replyChunks?.length ?? 0) ? "replied" : "replying",
    sentChunks: index + 1,
    sentMessageIds: [...entry.sentMessageIds, platformMessageId],
  }),
  drop: <M extends InboxMessage>(entry: InboxEntry<M>, reason: string): InboxEntry<M> => ({
    ...entry,
    state: "dropped",
    reason,
  }),
  chunkIsNext: (entry: InboxEntry, index: number): boolean => entry.sentChunks === index,
};
