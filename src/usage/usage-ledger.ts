import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { TurnRecord } from "../agents/index.js";

/** One turn's usage as written to the ledger: what the providers reported, per model call. */
export interface UsageEntry {
  /** ISO time the turn started. */
  ts: string;
  agent: string;
  session: string;
  turn: string;
  outcome: TurnRecord["outcome"];
  durationMs: number;
  calls: {
    model: string;
    input: number;
    output: number;
    cached: number;
    latencyMs: number;
    firstTokenMs?: number;
  }[];
}

const FLUSH_INTERVAL_MS = 500;
const FLUSH_AT_ENTRIES = 512;

export function usageDir(stateDir: string): string {
  return join(stateDir, "usage");
}

/** One file per UTC day, so `--since` reads only the days it needs. */
export function usageFileFor(stateDir: string, day: string): string {
  return join(usageDir(stateDir), `usage-${day}.jsonl`);
}

export function toUsageEntry(record: TurnRecord): UsageEntry {
  return {
    ts: new Date(record.startedAt).toISOString(),
    agent: record.agentId,
    session: record.sessionKey,
    turn: record.runId,
    outcome: record.outcome,
    durationMs: record.durationMs,
    calls: record.modelCalls.map((call) => ({
      model: call.model,
      input: call.usage.inputTokens,
      output: call.usage.outputTokens,
      cached: call.usage.cachedInputTokens ?? 0,
      latencyMs: call.latencyMs,
      ...(call.firstTokenMs !== undefined ? { firstTokenMs: call.firstTokenMs } : {}),
    })),
  };
}

/**
 * Appends each finished turn's usage to `<state>/usage/usage-<day>.jsonl`. Writes are batched
 * (every 500 ms or 512 turns): at thousands of turns a second, one append per turn would cost
 * more than the turn. A crash loses at most the last batch; the transcripts keep usage too.
 */
export class UsageLedger {
  private buffer = new Map<string, string[]>();
  private buffered = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private ready: Promise<void> | undefined;

  constructor(
    private readonly stateDir: string,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  record(record: TurnRecord): void {
    // A refused turn reached no model: it is counted by metrics, not billed by anyone.
    if (record.outcome === "rejected" && record.modelCalls.length === 0) return;
    const entry = toUsageEntry(record);
    const day = entry.ts.slice(0, 10);
    const lines = this.buffer.get(day) ?? [];
    lines.push(JSON.stringify(entry));
    this.buffer.set(day, lines);
    this.buffered++;
    if (this.buffered >= FLUSH_AT_ENTRIES) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
  }

  /** Writes what is buffered; resolves when it (and every earlier write) is on disk. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = new Map();
    this.buffered = 0;
    this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  async close(): Promise<void> {
    await this.flush();
  }

  private async write(batch: Map<string, string[]>): Promise<void> {
    if (batch.size === 0) return;
    try {
      this.ready ??= mkdir(usageDir(this.stateDir), { recursive: true, mode: 0o700 }).then(() => undefined);
      await this.ready;
      for (const [day, lines] of batch) {
        const path = usageFileFor(this.stateDir, day);
        await appendFile(path, `${lines.join("\n")}\n`, { mode: 0o600 });
      }
    } catch (error) {
      this.ready = undefined;
      this.onError(error as Error);
    }
  }
}
