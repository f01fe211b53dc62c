import { isEphemeralSessionKey } from "../../sessions/session-key.js";
import type { TranscriptEntry } from "../../sessions/transcript-entry.js";
import {
  newestFirst,
  type SessionSummary,
  type StoredTranscript,
  summarizeSession,
  type TranscriptRead,
  type TranscriptRepository,
} from "../transcript-repository.js";
import { type MemoryLocation, parseTranscriptLines } from "./memory-location.js";

const SESSION_PREFIX = "session:";
const REQUESTS_PREFIX = "requests:";

/** Transcripts in a MemoryLocation, grouped as the files backend groups them (see StoredTranscript). */
export class MemoryTranscriptRepository implements TranscriptRepository {
  readonly location = "memory";

  constructor(
    private readonly memory: MemoryLocation,
    private readonly now: () => number = Date.now,
  ) {}

  async append(sessionKey: string, entries: readonly TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const name = this.unitOf(sessionKey);
    const unit = this.memory.transcripts.get(name) ?? { lines: [], lastWrittenAt: 0 };
    for (const entry of entries) unit.lines.push(JSON.stringify(entry));
    unit.lastWrittenAt = this.now();
    this.memory.transcripts.set(name, unit);
  }

  async read(sessionKey: string): Promise<TranscriptRead> {
    const lines = this.memory.transcripts.get(this.unitOf(sessionKey))?.lines ?? [];
    const entries = parseTranscriptLines(lines).filter((entry) => entry.sessionKey === sessionKey);
    return { entries, damage: undefined };
  }

  async list(): Promise<SessionSummary[]> {
    const summaries: SessionSummary[] = [];
    for (const [name, unit] of this.memory.transcripts) {
      if (!name.startsWith(SESSION_PREFIX)) continue;
      const entries = parseTranscriptLines(unit.lines);
      summaries.push(summarizeSession(name.slice(SESSION_PREFIX.length), entries, unit.lastWrittenAt));
    }
    return newestFirst(summaries);
  }

  async listStored(): Promise<StoredTranscript[]> {
    return [...this.memory.transcripts].map(([name, unit]) => {
      const weight = {
        name,
        bytes: unit.lines.reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0),
        lastWrittenAt: unit.lastWrittenAt,
      };
      return name.startsWith(REQUESTS_PREFIX)
        ? { kind: "requests", day: name.slice(REQUESTS_PREFIX.length), ...weight }
        : { kind: "session", sessionKey: name.slice(SESSION_PREFIX.length), ...weight };
    });
  }

  /** Appends here finish within one call: nothing is ever being written when retention asks. */
  async removeIfIdle(name: string): Promise<boolean> {
    this.memory.transcripts.delete(name);
    return true;
  }

  async close(): Promise<void> {}

  private unitOf(sessionKey: string): string {
    if (!isEphemeralSessionKey(sessionKey)) return `${SESSION_PREFIX}${sessionKey}`;
    return `${REQUESTS_PREFIX}${new Date(this.now()).toISOString().slice(0, 10)}`;
  }
}
