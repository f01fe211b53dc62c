import { randomUUID } from "node:crypto";
import type { DamageReport, OpenAppendHandle } from "../append-only/index.js";
import type { ChatMessage, Usage } from "../models/types.js";
import type { WriteOutcomeReporter } from "../state-dir-health/index.js";
import { FileTranscriptRepository } from "../storage/files/file-transcript-repository.js";
import type {
  SessionSummary,
  StoredTranscript,
  TranscriptRepository,
} from "../storage/transcript-repository.js";
import { entryToMessage, messageFields, type TranscriptEntry } from "./transcript-entry.js";

export { sessionFileName } from "../storage/files/transcript-file-names.js";
export type { SessionSummary } from "../storage/transcript-repository.js";
export { EPHEMERAL_SESSION_MARKER, MAX_SESSION_KEY_LENGTH, validateSessionKey } from "./session-key.js";

/** Damage reports remembered, so that a history read again and again logs its damage once. */
const MAX_REPORTED_DAMAGE = 10_000;

export interface TranscriptStoreOptions {
  /** Masks credential values: nothing secret is ever written to a transcript. */
  redact?: <T>(value: T) => T;
  /** Lines a read could not use (torn, unparsable, foreign): the gateway logs them. */
  onDamagedLines?: (report: DamageReport) => void;
  /** Files backend (from a state dir) only: told about every write's outcome, the state dir's health. */
  health?: WriteOutcomeReporter;
  /** Files backend only: a torn tail cut before an append. */
  onRepaired?: (path: string, cutBytes: number) => void;
  /** Files backend only: opens a file for appending (tests pass handles whose writes fail). */
  open?: OpenAppendHandle;
}

/**
 * Session transcripts as the chat path writes and reads them: messages become entries (an id, a
 * time, the run, masked credentials) stored in a TranscriptRepository, and damage found on read
 * is told once. Appends to one session keep their order and never interleave; one the storage
 * refuses (a full disk) rejects with OC_ERR_DISK_FULL and stored none of it (see
 * TranscriptRepository).
 */
export class TranscriptStore {
  private readonly endListeners = new Set<(sessionKey: string) => void>();
  /** Where the entries are kept: the files backend of a state dir unless given one. */
  readonly repository: TranscriptRepository;
  private readonly reportedDamage = new Set<string>();
  private readonly redact: <T>(value: T) => T;

  constructor(
    stateDirOrRepository: string | TranscriptRepository,
    private readonly options: TranscriptStoreOptions = {},
  ) {
    this.repository =
      typeof stateDirOrRepository === "string"
        ? new FileTranscriptRepository(stateDirOrRepository, {
            ...(options.health ? { health: options.health } : {}),
            ...(options.onRepaired ? { onRepaired: options.onRepaired } : {}),
            ...(options.open ? { open: options.open } : {}),
          })
        : stateDirOrRepository;
    this.redact = options.redact ?? ((value) => value);
  }

  async append(
    sessionKey: string,
    agentId: string,
    runId: string,
    messages: ChatMessage[],
    usage?: Usage,
  ): Promise<TranscriptEntry[]> {
    const now = Date.now();
    const entries = this.redact(messages).map(
      (message, index): TranscriptEntry => ({
        type: "message",
        id: randomUUID(),
        ts: now,
        sessionKey,
        agentId,
        runId,
        ...messageFields(message),
        ...(usage && index === messages.length - 1 ? { usage } : {}),
      }),
    );
    if (entries.length === 0) return entries;
    await this.repository.append(sessionKey, entries);
    return entries;
  }

  /** The session's entries; damaged lines are skipped and told to onDamagedLines, once. */
  async read(sessionKey: string): Promise<TranscriptEntry[]> {
    const { entries, damage } = await this.repository.read(sessionKey);
    if (damage) this.reportDamage(damage);
    return entries;
  }

  async history(sessionKey: string): Promise<ChatMessage[]> {
    return (await this.read(sessionKey)).map(entryToMessage);
  }

  list(): Promise<SessionSummary[]> {
    return this.repository.list();
  }

  /** Where the transcripts are (the files backend: `<state>/sessions`). */
  get path(): string {
    return this.repository.location;
  }

  /** What session retention weighs (see TranscriptRepository.listStored). */
  listStored(): Promise<StoredTranscript[]> {
    return this.repository.listStored();
  }

  /** Removes a stored unit unless it is being written (see TranscriptRepository.removeIfIdle). */
  removeIfIdle(name: string): Promise<boolean> {
    return this.repository.removeIfIdle(name);
  }

  /**
   * Deletes a session (`openclaw sessions delete`) unless a turn is writing it; when it goes,
   * those listening to session ends are told, so what belonged to it (a browser context, its
   * background processes) goes with it.
   */
  async removeSessionIfIdle(sessionKey: string, name: string): Promise<boolean> {
    const removed = await this.repository.removeIfIdle(name);
    if (removed) for (const listener of this.endListeners) listener(sessionKey);
    return removed;
  }

  /** Called with the key of each session deleted from now on; returns the unsubscribe. */
  onSessionEnd(listener: (sessionKey: string) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /** Waits for appends in flight and closes what is open (the gateway's shutdown). */
  close(): Promise<void> {
    return this.repository.close();
  }

  private reportDamage(damage: DamageReport): void {
    if (!this.options.onDamagedLines) return;
    // The same damage (same place, count and lines) is told once; new damage is told again.
    const key = `${damage.file}:${damage.count}:${damage.lines.map((line) => `${line.line}${line.kind}`).join(",")}`;
    if (this.reportedDamage.has(key)) return;
    if (this.reportedDamage.size > MAX_REPORTED_DAMAGE) this.reportedDamage.clear();
    this.reportedDamage.add(key);
    this.options.onDamagedLines(damage);
  }
}
