import { randomUUID } from "node:crypto";
import { type FileHandle, mkdir, open, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { OpenClawError } from "../errors.js";
import type { ChatMessage, Usage } from "../models/types.js";
import { entryToMessage, messageFields, type TranscriptEntry } from "./transcript-entry.js";

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
 * lines never interleave; a torn last line (a crash mid-write) is skipped on read, not fatal.
 */
export class TranscriptStore {
  private readonly directory: string;
  private readonly appendQueues = new Map<string, Promise<void>>();
  private readonly handles = new Map<string, Promise<FileHandle>>();
  private readonly batches = new Map<
    string,
    { texts: string[]; done: Promise<void>; release: () => void; fail: (error: unknown) => void }
  >();
  private directoryReady: Promise<void> | undefined;

  private readonly redact: <T>(value: T) => T;

  /** `redact` masks credential values: nothing secret is ever written to a transcript. */
  constructor(stateDir: string, options: { redact?: <T>(value: T) => T } = {}) {
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
        await this.ensureDirectory();
        const handle = await this.handleFor(fileName);
        await handle.appendFile(current.texts.join(""));
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
    const entries: TranscriptEntry[] = [];
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        const parsed = JSON.parse(line) as TranscriptEntry;
        if (parsed.type === "message" && parsed.sessionKey === sessionKey) entries.push(parsed);
      } catch {
        // A torn line from a crash mid-append: skip it, keep the rest of the history.
      }
    }
    return entries;
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

  /** Closes the open append handles (the gateway's shutdown). */
  async close(): Promise<void> {
    await Promise.all([...this.appendQueues.values()]);
    const handles = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(handles.map(async (handle) => (await handle).close().catch(() => undefined)));
  }

  private handleFor(fileName: string): Promise<FileHandle> {
    let handle = this.handles.get(fileName);
    if (handle) {
      this.handles.delete(fileName);
    } else {
      handle = open(join(this.directory, fileName), "a", 0o600);
      handle.catch(() => this.handles.delete(fileName));
      if (this.handles.size >= MAX_OPEN_FILES) {
        const [oldestName, oldest] = this.handles.entries().next().value as [string, Promise<FileHandle>];
        this.handles.delete(oldestName);
        // Its queue may still be writing: close once that is done.
        void (this.appendQueues.get(oldestName) ?? Promise.resolve()).then(async () =>
          (await oldest).close().catch(() => undefined),
        );
      }
    }
    this.handles.set(fileName, handle);
    return handle;
  }

  private ensureDirectory(): Promise<void> {
    this.directoryReady ??= mkdir(this.directory, { recursive: true, mode: 0o700 }).then(() => undefined);
    return this.directoryReady;
  }
}
