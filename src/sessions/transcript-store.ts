import { randomUUID } from "node:crypto";
import { appendFile, mkdir, readdir, readFile, stat } from "node:fs/promises";
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

export function validateSessionKey(sessionKey: unknown): string {
  if (typeof sessionKey !== "string" || sessionKey.trim() === "") {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "sessionKey must be a non-empty string");
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
    const previous = this.appendQueues.get(sessionKey) ?? Promise.resolve();
    const next = previous.then(async () => {
      await this.ensureDirectory();
      await appendFile(join(this.directory, sessionFileName(sessionKey)), text, { mode: 0o600 });
    });
    const settled = next.catch(() => undefined);
    this.appendQueues.set(sessionKey, settled);
    void settled.then(() => {
      if (this.appendQueues.get(sessionKey) === settled) this.appendQueues.delete(sessionKey);
    });
    await next;
    return entries;
  }

  async read(sessionKey: string): Promise<TranscriptEntry[]> {
    await (this.appendQueues.get(sessionKey) ?? Promise.resolve());
    let text: string;
    try {
      text = await readFile(join(this.directory, sessionFileName(sessionKey)), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const entries: TranscriptEntry[] = [];
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        const parsed = JSON.parse(line) as TranscriptEntry;
        if (parsed.type === "message") entries.push(parsed);
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
      names = (await readdir(this.directory)).filter((name) => name.endsWith(".jsonl"));
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

  private ensureDirectory(): Promise<void> {
    this.directoryReady ??= mkdir(this.directory, { recursive: true, mode: 0o700 }).then(() => undefined);
    return this.directoryReady;
  }
}
