import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { EPHEMERAL_SESSION_MARKER } from "../sessions/index.js";
import { type UsageEntry, usageDir } from "./usage-ledger.js";

export type UsageGrouping = "agent" | "session" | "model";

export interface UsageQuery {
  agent?: string;
  /** Epoch ms: turns that started at or after it. */
  since?: number;
  by?: UsageGrouping;
}

export interface UsageRow {
  key: string;
  turns: number;
  modelCalls: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  /** Model call latency (request to end of stream), over the calls of the row. */
  latencyMs: { avg: number; p50: number; p95: number; max: number } | null;
}

/** Reads the ledger's entries, skipping whole days before `since`. */
export async function readUsage(stateDir: string, since?: number): Promise<UsageEntry[]> {
  const directory = usageDir(stateDir);
  const files = await readdir(directory).catch(() => [] as string[]);
  const firstDay = since === undefined ? "" : new Date(since).toISOString().slice(0, 10);
  const entries: UsageEntry[] = [];
  for (const file of files.sort()) {
    const match = /^usage-(\d{4}-\d{2}-\d{2})\.jsonl$/.exec(file);
    if (!match || (match[1] as string) < firstDay) continue;
    const text = await readFile(join(directory, file), "utf8");
    for (const line of text.split("\n")) {
      if (!line) continue;
      try {
        entries.push(JSON.parse(line) as UsageEntry);
      } catch {
        // a torn last line of a crash: skipped, the rest counts
      }
    }
  }
  return entries;
}

/**
 * Stateless OpenAI requests get a session each (`…:openai:request:<id>`); counted one by one
 * they would bury every real session, so they are shown as one row per agent.
 */
function sessionLabel(session: string): string {
  const at = session.indexOf(EPHEMERAL_SESSION_MARKER);
  return at === -1 ? session : `${session.slice(0, at)}:* (stateless requests)`;
}

function percentile(sorted: number[], fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

export function summarizeUsage(entries: readonly UsageEntry[], query: UsageQuery = {}): UsageRow[] {
  const by = query.by ?? "agent";
  const rows = new Map<string, { row: UsageRow; latencies: number[]; turns: Set<string> }>();
  const rowFor = (key: string) => {
    let item = rows.get(key);
    if (!item) {
      item = {
        row: {
          key,
          turns: 0,
          modelCalls: 0,
          inputTokens: 0,
          outputTokens: 0,
          cachedInputTokens: 0,
          latencyMs: null,
        },
        latencies: [],
        turns: new Set(),
      };
      rows.set(key, item);
    }
    return item;
  };
  for (const entry of entries) {
    if (query.agent !== undefined && entry.agent !== query.agent) continue;
    if (query.since !== undefined && Date.parse(entry.ts) < query.since) continue;
    if (by === "model") {
      for (const call of entry.calls) {
        const item = rowFor(call.model);
        item.turns.add(entry.turn);
        addCall(item, call);
      }
      continue;
    }
    const item = rowFor(by === "agent" ? entry.agent : sessionLabel(entry.session));
    item.turns.add(entry.turn);
    for (const call of entry.calls) addCall(item, call);
  }
  return [...rows.values()]
    .map(({ row, latencies, turns }) => {
      latencies.sort((a, b) => a - b);
      const total = latencies.reduce((sum, value) => sum + value, 0);
      return {
        ...row,
        turns: turns.size,
        latencyMs:
          latencies.length === 0
            ? null
            : {
                avg: round(total / latencies.length),
                p50: round(percentile(latencies, 0.5)),
                p95: round(percentile(latencies, 0.95)),
                max: round(latencies.at(-1) as number),
              },
      };
    })
    .sort(
      (a, b) => b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens) || (a.key < b.key ? -1 : 1),
    );
}

function addCall(item: { row: UsageRow; latencies: number[] }, call: UsageEntry["calls"][number]): void {
  item.row.modelCalls++;
  item.row.inputTokens += call.input;
  item.row.outputTokens += call.output;
  item.row.cachedInputTokens += call.cached;
  item.latencies.push(call.latencyMs);
}
