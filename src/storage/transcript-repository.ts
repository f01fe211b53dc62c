import type { DamageReport } from "../append-only/index.js";
import type { TranscriptEntry } from "../sessions/transcript-entry.js";

/** One session as `sessions.list` shows it. */
export interface SessionSummary {
  key: string;
  agentId: string | undefined;
  messageCount: number;
  /** Epoch ms of the last entry (or of the last write, for a session without entries). */
  updatedAt: number;
  lastMessagePreview: string | undefined;
}

/** A session's entries, oldest first, and what could not be read of it. */
export interface TranscriptRead {
  entries: TranscriptEntry[];
  /**
   * The lines skipped (torn by a kill, unparsable, another program's), by place and number;
   * undefined when everything was read. Said, not thrown: the good entries are the history.
   */
  damage: DamageReport | undefined;
}

/**
 * What retention weighs and removes. Stateless requests (session keys with
 * EPHEMERAL_SESSION_MARKER) are stored together, one unit per UTC day: nobody reads them back by
 * key, and one unit each would cost an open and a close per request.
 */
export type StoredTranscript =
  | {
      kind: "session";
      /** What removeIfIdle takes, and what retention reports (the files backend: the file name). */
      name: string;
      /** Undefined for a unit no key names (a file put there by hand). */
      sessionKey: string | undefined;
      bytes: number;
      /** Epoch ms. */
      lastWrittenAt: number;
    }
  | { kind: "requests"; name: string; day: string; bytes: number; lastWrittenAt: number };

/**
 * Session transcripts: append-only, one sequence of entries per session key.
 *
 * Appends to one session keep call order, and the entries of one call stay together: parallel
 * appends never interleave or lose an entry. An append resolves once all of it is durable, and
 * one that rejects (a full disk) stored none of it: what a client is told was saved is stored,
 * and nothing else. A read sees every append that resolved before it began.
 */
export interface TranscriptRepository {
  /** Where the transcripts are, for messages: a directory, a database without its credentials. */
  readonly location: string;
  append(sessionKey: string, entries: readonly TranscriptEntry[]): Promise<void>;
  /** Empty, not an error, for a session never written. */
  read(sessionKey: string): Promise<TranscriptRead>;
  /** Every session with a transcript, stateless requests excepted; most recently updated first. */
  list(): Promise<SessionSummary[]>;
  /** Every stored unit with its size and last write, for retention. */
  listStored(): Promise<StoredTranscript[]>;
  /**
   * Removes a stored unit (by its `name`) unless it is being written: false, and nothing done,
   * while an append to it is queued or in flight. An append arriving after the removal starts
   * the unit afresh; it is never lost.
   */
  removeIfIdle(name: string): Promise<boolean>;
  /** Waits for appends in flight and lets go of what is held open (the gateway's shutdown). */
  close(): Promise<void>;
}

/** A session's summary from its entries; `writtenAt` stands in for an empty one's time. */
export function summarizeSession(
  key: string,
  entries: readonly TranscriptEntry[],
  writtenAt: number,
): SessionSummary {
  const last = entries.at(-1);
  return {
    key,
    agentId: last?.agentId,
    messageCount: entries.length,
    updatedAt: last?.ts ?? writtenAt,
    lastMessagePreview: last?.content.slice(0, 120),
  };
}

/** Newest first, as `list` answers. */
export function newestFirst(summaries: SessionSummary[]): SessionSummary[] {
  return summaries.sort((left, right) => right.updatedAt - left.updatedAt);
}
