import type { TurnRecord } from "../agents/index.js";
import type { OpenAppendHandle } from "../append-only/index.js";
import { EPHEMERAL_SESSION_MARKER } from "../sessions/session-key.js";
import type { WriteOutcomeReporter } from "../state-dir-health/index.js";
import { FileUsageRepository } from "../storage/files/file-usage-repository.js";
import type { UsageRepository } from "../storage/usage-repository.js";
import { emptyHistogram, merge, observe } from "./latency-histogram.js";
import type { UsageEntry } from "./usage-entry.js";

export type { UsageEntry } from "./usage-entry.js";

const FLUSH_INTERVAL_MS = 10_000;
const MINUTE_MS = 60_000;

/**
 * Stateless OpenAI requests get a session each (`…:openai:request:<id>`); kept one by one they
 * would bury every real session (and grow the ledger with the request rate), so they share one.
 */
export function usageSessionLabel(session: string): string {
  const at = session.indexOf(EPHEMERAL_SESSION_MARKER);
  return at === -1 ? session : `${session.slice(0, at)}:* (stateless requests)`;
}

export interface UsageLedgerOptions {
  /** Told about every flush's outcome: the state dir's health (files backend, from a state dir). */
  health?: WriteOutcomeReporter;
  /** A torn tail cut before an append. */
  onRepaired?: (path: string, cutBytes: number) => void;
  /** Opens a day's file for appending (tests pass handles whose writes fail). */
  open?: OpenAppendHandle;
}

function keyOf(minuteStart: number, agent: string, session: string, model: string): string {
  return `${minuteStart}\u0000${agent}\u0000${session}\u0000${model}`;
}

/**
 * Sums every finished turn's model calls per minute, agent, session and model, and records the
 * sums in its repository every 10 s (and on `flush`, which `openclaw usage` asks for first). Aggregating in memory keeps the chat path free of per-turn strings and file
 * writes: at thousands of turns a second those cost more than the turn. A crash loses at most
 * the last 10 s of sums; each session's transcript keeps its turns' usage too. A flush the
 * repository refuses (a full disk) stores none of its sums, which are kept for the next one, so
 * a full disk delays the ledger without losing or double-counting a turn.
 */
export class UsageLedger {
  /** Where the sums go and where `openclaw usage` reads them. */
  readonly repository: UsageRepository;
  private pending = new Map<string, UsageEntry>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  /** A state dir means the files backend there; `options` apply to it only. */
  constructor(
    stateDirOrRepository: string | UsageRepository,
    private readonly onError: (error: Error) => void = () => undefined,
    options: UsageLedgerOptions = {},
  ) {
    this.repository =
      typeof stateDirOrRepository === "string"
        ? new FileUsageRepository(stateDirOrRepository, options)
        : stateDirOrRepository;
  }

  record(turn: TurnRecord): void {
    const calls = turn.modelCalls;
    if (calls.length === 0) return;
    const minuteStart = turn.startedAt - (turn.startedAt % MINUTE_MS);
    const session = usageSessionLabel(turn.sessionKey);
    let previousModel: string | undefined;
    for (const call of calls) {
      const key = keyOf(minuteStart, turn.agentId, session, call.model);
      let entry = this.pending.get(key);
      if (!entry) {
        entry = {
          minute: new Date(minuteStart).toISOString(),
          agent: turn.agentId,
          session,
          model: call.model,
          turns: 0,
          calls: 0,
          input: 0,
          output: 0,
          cached: 0,
          latency: emptyHistogram(),
        };
        this.pending.set(key, entry);
      }
      // A turn counts once per model it used (almost always one).
      if (call.model !== previousModel) entry.turns++;
      previousModel = call.model;
      entry.calls++;
      entry.input += call.usage.inputTokens;
      entry.output += call.usage.outputTokens;
      entry.cached += call.usage.cachedInputTokens ?? 0;
      observe(entry.latency, call.latencyMs);
    }
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_INTERVAL_MS);
      this.timer.unref();
    }
  }

  /** Sums a flush could not write go back in with the newer ones, added where keys meet. */
  private requeue(entries: Iterable<UsageEntry>): void {
    for (const entry of entries) {
      const key = keyOf(Date.parse(entry.minute), entry.agent, entry.session, entry.model);
      const newer = this.pending.get(key);
      if (!newer) {
        this.pending.set(key, entry);
        continue;
      }
      newer.turns += entry.turns;
      newer.calls += entry.calls;
      newer.input += entry.input;
      newer.output += entry.output;
      newer.cached += entry.cached;
      merge(newer.latency, entry.latency);
    }
    this.scheduleFlush();
  }

  /** Writes the sums so far; resolves when they (and every earlier write) are on disk. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = new Map();
    this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  async close(): Promise<void> {
    await this.flush();
  }

  private async write(batch: Map<string, UsageEntry>): Promise<void> {
    if (batch.size === 0) return;
    try {
      await this.repository.record([...batch.values()]);
    } catch (error) {
      // Nothing of the batch was stored: it waits for the next flush.
      this.requeue(batch.values());
      this.onError(error as Error);
    }
  }
}
