import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import {
  AppendOnlyFile,
  type DamageReport,
  damageReport,
  type OpenAppendHandle,
  parseJsonLines,
} from "../append-only/index.js";
import { OpenClawError } from "../errors.js";
import type { ChatMessage, Usage } from "../models/types.js";
import { asStateWriteError, type WriteOutcomeReporter } from "../state-dir-health/index.js";
import { entryToMessage, isTranscriptLine, messageFields, type TranscriptEntry } from "./transcript-entry.js";

export const MAX_SESSION_KEY_LENGTH = 512;

export interface SessionSummary {
  key: string;
  agentId: string | undefined;
  messageCount: number;
  updatedAt: number;
  lastMessagePreview: string | undefined;
}

/** Session keys become file names: anything outside a safe set is percent-encoded, so no key can name a path. */
export function sessionFileName(sessionKey: string): string {
  const encoded = sessionKey.replace(/[^A-Za-z0-9_.:@-]/g, (character) =>
    [...Buffer.from(character, "utf8")]
      .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`)
      .join(""),
  );
  // ":" is fine on POSIX but a leading "." would hide the file, so guard it.
  return `${encoded.startsWith(".") ? `%2E${encoded.slice(1)}` : encoded}.jsonl`;
}

function sessionKeyFromFileName(fileName: string): string {
  return decodeURIComponent(fileName.slice(0, -".jsonl".length));
}

/**
 * One-turn sessions of stateless clients (an OpenAI request without a session key or user):
 * nobody reads them back by key, so they share one file a day instead of one file each — a file
 * per request would cost an open and a close per turn and litter the state dir.
 */
export const EPHEMERAL_SESSION_MARKER = ":request:";
const EPHEMERAL_FILE_PREFIX = "requests-";

function fileNameFor(sessionKey: string): string {
  if (!sessionKey.includes(EPHEMERAL_SESSION_MARKER)) return sessionFileName(sessionKey);
  return `${EPHEMERAL_FILE_PREFIX}${new Date().toISOString().slice(0, 10)}.jsonl`;
}

/** Open append handles, most recently used last; a busy session does not reopen its file. */
const MAX_OPEN_FILES = 32;
/** Damaged lines already reported, so that a history read again and again logs them once. */
const MAX_REPORTED_LINES = 10_000;

export interface TranscriptStoreOptions {
  /** Masks credential values: nothing secret is ever written to a transcript. */
  redact?: <T>(value: T) => T;
  /** Told about every write's outcome: the state dir's health. */
  health?: WriteOutcomeReporter;
  /** Lines a read could not use (torn, unparsable, foreign): the gateway logs them. */
  onDamagedLines?: (report: DamageReport) => void;
  /** A torn tail cut before an append. */
  onRepaired?: (path: string, cutBytes: number) => void;
  /** Opens a transcript for appending (tests pass handles whose writes fail). */
  open?: OpenAppendHandle;
}

export function validateSessionKey(sessionKey: unknown): string {
  if (typeof sessionKey !== "string" || sessionKey.trim() === "") {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "sessionKey must be a non-empty string");
  }
  if (/[\u0000-\u001f\u007f]/.test(sessionKey)) {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "sessionKey must not contain control characters");
  }
  if (sessionKey.length > MAX_SESSION_KEY_LENGTH) {
    throw new OpenClawError(
      "OC_ERR_BAD_REQUEST",
      `sessionKey is longer than ${MAX_SESSION_KEY_LENGTH} characters`,
    );
  }
  return sessionKey;
}

/**
 * Append-only JSONL transcripts, one file per session. Appends to one session are serialized so
 * lines never interleave. An append resolves only once all of it is on disk, and one that fails
 * (a full disk) is rolled back and rejects with OC_ERR_DISK_FULL: what a client is told was
 * saved is in the file, and nothing else is. A torn last line (a kill mid-write) is reported and
 * skipped on read, and cut before the next append (see repairTornTail).
 */
export class TranscriptStore {
  private readonly directory: string;
  private readonly appendQueues = new Map<string, Promise<void>>();
  private readonly handles = new Map<string, AppendOnlyFile>();
  private readonly reportedLines = new Set<string>();
  private readonly batches = new Map<
    string,
    { texts: string[]; done: Promise<void>; release: () => void; fail: (error: unknown) => void }
  >();
  private directoryReady: Promise<void> | undefined;

  private readonly redact: <T>(value: T) => T;

  constructor(
    private readonly stateDir: string,
    private readonly options: TranscriptStoreOptions = {},
  ) {
    this.directory = join(stateDir, "sessions");
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
    const text = entries
      .map((entry) => JSON.stringify(entry))
      .join("\n")
      .concat("\n");
    // Appends are serialized per file (ephemeral sessions share one), so lines never interleave.
    await this.write(fileNameFor(sessionKey), text);
    return entries;
  }

  /**
   * Appends to a file, in call order. While one write is in flight, later texts for the same
   * file gather and go out together in the next: under load, one write serves many turns.
   */
  private write(fileName: string, text: string): Promise<void> {
    let batch = this.batches.get(fileName);
    if (!batch) {
      let release!: () => void;
      let fail!: (error: unknown) => void;
      const done = new Promise<void>((resolve, reject) => {
        release = resolve;
        fail = reject;
      });
      batch = { texts: [], done, release, fail };
      this.batches.set(fileName, batch);
      const previous = this.appendQueues.get(fileName) ?? Promise.resolve();
      const current = batch;
      const next = previous.then(async () => {
        // From here on, new texts start the next batch.
        if (this.batches.get(fileName) === current) this.batches.delete(fileName);
        await this.appendNow(fileName, current.texts.join(""));
      });
      next.then(current.release, current.fail);
      const settled = next.catch(() => undefined);
      this.appendQueues.set(fileName, settled);
      void settled.then(() => {
        if (this.appendQueues.get(fileName) === settled) this.appendQueues.delete(fileName);
      });
    }
    batch.texts.push(text);
    return batch.done;
  }

  /** One append, reported to the state dir's health; a storage failure becomes the typed error. */
  private async appendNow(fileName: string, text: string): Promise<void> {
    const path = join(this.directory, fileName);
    try {
      await this.ensureDirectory();
      await this.fileFor(fileName).append(text);
    } catch (error) {
      this.options.health?.writeFailed("transcripts", error, path);
      throw asStateWriteError(error, { stateDir: this.stateDir, path });
    }
    this.options.health?.writeSucceeded("transcripts");
  }

  async read(sessionKey: string): Promise<TranscriptEntry[]> {
    const fileName = fileNameFor(sessionKey);
    await (this.appendQueues.get(fileName) ?? Promise.resolve());
    let text: string;
    try {
      text = await readFile(join(this.directory, fileName), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    // Damaged lines are skipped, and said: the good entries are the history.
    const { values, damaged } = parseJsonLines(text, isTranscriptLine);
    this.reportDamage(fileName, damaged);
    return values.filter(
      (line): line is TranscriptEntry =>
        line.type === "message" && (line as TranscriptEntry).sessionKey === sessionKey,
    );
  }

  private reportDamage(fileName: string, damaged: Parameters<typeof damageReport>[1]): void {
    if (damaged.length === 0 || !this.options.onDamagedLines) return;
    const unreported = damaged.filter(
      (line) => !this.reportedLines.has(`${fileName}:${line.line}:${line.kind}`),
    );
    if (unreported.length === 0) return;
    if (this.reportedLines.size > MAX_REPORTED_LINES) this.reportedLines.clear();
    for (const line of unreported) this.reportedLines.add(`${fileName}:${line.line}:${line.kind}`);
    const report = damageReport(join(this.directory, fileName), damaged);
    if (report) this.options.onDamagedLines(report);
  }

  async history(sessionKey: string): Promise<ChatMessage[]> {
    return (await this.read(sessionKey)).map(entryToMessage);
  }

  async list(): Promise<SessionSummary[]> {
    let names: string[];
    try {
      names = (await readdir(this.directory)).filter(
        (name) => name.endsWith(".jsonl") && !name.startsWith(EPHEMERAL_FILE_PREFIX),
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const summaries = await Promise.all(
      names.map(async (name): Promise<SessionSummary> => {
        const key = sessionKeyFromFileName(name);
        const [entries, info] = await Promise.all([this.read(key), stat(join(this.directory, name))]);
        const last = entries.at(-1);
        return {
          key,
          agentId: last?.agentId,
          messageCount: entries.length,
          updatedAt: last?.ts ?? info.mtimeMs,
          lastMessagePreview: last?.content.slice(0, 120),
        };
      }),
    );
    return summaries.sort((left, right) => right.updatedAt - left.updatedAt);
  }

  /** Where the transcripts are (`<state>/sessions`): what session retention sweeps. */
  get path(): string {
    return this.directory;
  }

  /**
   * Removes a transcript (session retention) unless it is being written: false, and nothing
   * done, while an append is queued or in flight. The removal runs in the file's append queue,
   * so an append arriving meanwhile starts a new file after it; an idle open handle is closed
   * first, as an append through it would go into the deleted file and be lost.
   */
  async removeIfIdle(fileName: string): Promise<boolean> {
    if (this.batches.has(fileName) || this.appendQueues.has(fileName)) return false;
    const file = this.handles.get(fileName);
    this.handles.delete(fileName);
    const removal = (async () => {
      await file?.close().catch(() => undefined);
      await rm(join(this.directory, fileName), { force: true });
    })();
    const settled = removal.catch(() => undefined);
    this.appendQueues.set(fileName, settled);
    void settled.then(() => {
      if (this.appendQueues.get(fileName) === settled) this.appendQueues.delete(fileName);
    });
    await removal;
    return true;
  }

  /** Closes the open append handles (the gateway's shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.appendQueues.values()]);
    const files = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(files.map((file) => file.close()));
  }

  private fileFor(fileName: string): AppendOnlyFile {
    let file = this.handles.get(fileName);
    if (file) {
      this.handles.delete(fileName);
    } else {
      file = new AppendOnlyFile(join(this.directory, fileName), {
        mode: 0o600,
        ...(this.options.open ? { open: this.options.open } : {}),
        ...(this.options.onRepaired ? { onRepaired: this.options.onRepaired } : {}),
      });
      if (this.handles.size >= MAX_OPEN_FILES) {
        const [oldestName, oldest] = this.handles.entries().next().value as [string, AppendOnlyFile];
        this.handles.delete(oldestName);
        // Its queue may still be writing: close once that is done.
        void (this.appendQueues.get(oldestName) ?? Promise.resolve()).then(() => oldest.close());
      }
    }
    this.handles.set(fileName, file);
    return file;
  }

  private ensureDirectory(): Promise<void> {
    // A failed mkdir (a full disk) is not remembered: the next append tries again.
    this.directoryReady ??= mkdir(this.directory, { recursive: true, mode: 0o700 }).then(
      () => undefined,
      (error: unknown) => {
        this.directoryReady = undefined;
        throw error;
      },
    );
    return this.directoryReady;
  }
}
