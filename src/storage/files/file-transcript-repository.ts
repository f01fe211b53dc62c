import { lstat, mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { damageReport, type OpenAppendHandle, parseJsonLines } from "../../append-only/index.js";
import { isTranscriptLine, type TranscriptEntry } from "../../sessions/transcript-entry.js";
import { asStateWriteError, type WriteOutcomeReporter } from "../../state-dir-health/index.js";
import {
  newestFirst,
  type SessionSummary,
  type StoredTranscript,
  summarizeSession,
  type TranscriptRead,
  type TranscriptRepository,
} from "../transcript-repository.js";
import { BatchedAppends } from "./batched-appends.js";
import { OpenAppendFiles } from "./open-append-files.js";
import { sessionKeyOfFileName, transcriptFileKind, transcriptFileNameFor } from "./transcript-file-names.js";

export interface FileTranscriptRepositoryOptions {
  /** Told about every write's outcome: the state dir's health. */
  health?: WriteOutcomeReporter;
  /** A torn tail cut before an append. */
  onRepaired?: (path: string, cutBytes: number) => void;
  /** Opens a file for appending (tests pass handles whose writes fail or wait). */
  open?: OpenAppendHandle;
  /** Epoch ms: which day's file a stateless request goes to. */
  now?: () => number;
}

async function namesIn(directory: string): Promise<string[]> {
  try {
    return await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/**
 * Transcripts as JSONL files in `<state>/sessions`, one per session key, stateless requests one
 * per UTC day. Every file is an AppendOnlyFile: a torn last line (a kill mid-write) is reported
 * and skipped on read, and cut before the next append; a batch the disk refuses is rolled back
 * and rejects with OC_ERR_DISK_FULL (or OC_ERR_STATE_UNWRITABLE).
 */
export class FileTranscriptRepository implements TranscriptRepository {
  readonly location: string;
  private readonly appends: BatchedAppends;
  private readonly files: OpenAppendFiles;
  private readonly now: () => number;
  private directoryReady: Promise<void> | undefined;

  constructor(
    private readonly stateDir: string,
    private readonly options: FileTranscriptRepositoryOptions = {},
  ) {
    this.location = join(stateDir, "sessions");
    this.now = options.now ?? Date.now;
    this.appends = new BatchedAppends((fileName, text) => this.appendNow(fileName, text));
    this.files = new OpenAppendFiles(this.location, (fileName) => this.appends.idle(fileName), options);
  }

  append(sessionKey: string, entries: readonly TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    let text = "";
    for (const entry of entries) text += `${JSON.stringify(entry)}\n`;
    return this.appends.write(transcriptFileNameFor(sessionKey, this.now()), text);
  }

  /** One append, reported to the state dir's health; a storage failure becomes the typed error. */
  private async appendNow(fileName: string, text: string): Promise<void> {
    const path = join(this.location, fileName);
    try {
      await this.ensureDirectory();
      await this.files.get(fileName).append(text);
    } catch (error) {
      this.options.health?.writeFailed("transcripts", error, path);
      throw asStateWriteError(error, { stateDir: this.stateDir, path });
    }
    this.options.health?.writeSucceeded("transcripts");
  }

  async read(sessionKey: string): Promise<TranscriptRead> {
    const fileName = transcriptFileNameFor(sessionKey, this.now());
    await this.appends.idle(fileName);
    const path = join(this.location, fileName);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { entries: [], damage: undefined };
      throw error;
    }
    const { values, damaged } = parseJsonLines(text, isTranscriptLine);
    const entries = values.filter(
      (line): line is TranscriptEntry =>
        line.type === "message" && (line as TranscriptEntry).sessionKey === sessionKey,
    );
    return { entries, damage: damageReport(path, damaged) };
  }

  async list(): Promise<SessionSummary[]> {
    const sessions: { name: string; key: string }[] = [];
    for (const name of await namesIn(this.location)) {
      const key = transcriptFileKind(name)?.kind === "session" ? sessionKeyOfFileName(name) : undefined;
      if (key !== undefined) sessions.push({ name, key });
    }
    const summaries = await Promise.all(
      sessions.map(async ({ name, key }): Promise<SessionSummary> => {
        const [{ entries }, info] = await Promise.all([this.read(key), stat(join(this.location, name))]);
        return summarizeSession(key, entries, info.mtimeMs);
      }),
    );
    return newestFirst(summaries);
  }

  async listStored(): Promise<StoredTranscript[]> {
    const stored: StoredTranscript[] = [];
    for (const name of await namesIn(this.location)) {
      const kind = transcriptFileKind(name);
      if (!kind) continue;
      const info = await lstat(join(this.location, name)).catch(() => undefined);
      if (!info?.isFile()) continue;
      const weight = { name, bytes: info.size, lastWrittenAt: info.mtimeMs };
      stored.push(
        kind.kind === "requests"
          ? { kind: "requests", day: kind.day, ...weight }
          : { kind: "session", sessionKey: sessionKeyOfFileName(name), ...weight },
      );
    }
    return stored;
  }

  /**
   * The removal runs in the file's append queue, so an append arriving meanwhile starts a new
   * file after it; an idle open handle is closed first, as an append through it would go into
   * the deleted file and be lost.
   */
  async removeIfIdle(name: string): Promise<boolean> {
    if (this.appends.isBusy(name)) return false;
    const closing = this.files.forget(name);
    await this.appends.enqueue(name, async () => {
      await closing;
      await rm(join(this.location, name), { force: true });
    });
    return true;
  }

  async close(): Promise<void> {
    await this.appends.allIdle();
    await this.files.closeAll();
  }

  private ensureDirectory(): Promise<void> {
    // A failed mkdir (a full disk) is not remembered: the next append tries again.
    this.directoryReady ??= mkdir(this.location, { recursive: true, mode: 0o700 }).then(
      () => undefined,
      (error: unknown) => {
        this.directoryReady = undefined;
        throw error;
      },
    );
    return this.directoryReady;
  }
}
