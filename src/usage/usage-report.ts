import type { DamageReport } from "../append-only/index.js";
import { FileUsageRepository } from "../storage/files/file-usage-repository.js";
import { emptyHistogram, type LatencyHistogram, merge, percentile } from "./latency-histogram.js";
import type { UsageEntry } from "./usage-entry.js";

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
  /** Model call latency (request to end of stream) over the row's calls; percentiles within 10 %. */
  latencyMs: { avg: number; p50: number; p95: number; max: number } | null;
}

/**
 * The ledger of a state dir, read where the files backend keeps it: lines that cannot be
 * counted (torn by a kill, foreign) are skipped and reported to `onDamagedLines`, one report per
 * file. Tests read with it; the gateway and the CLI query a UsageRepository.
 */
export async function readUsage(
  stateDir: string,
  since?: number,
  onDamagedLines?: (report: DamageReport) => void,
): Promise<UsageEntry[]> {
  const { entries, damage } = await new FileUsageRepository(stateDir).query(
    since === undefined ? {} : { since },
  );
  for (const report of damage) onDamagedLines?.(report);
  return entries;
}

const MINUTE_MS = 60_000;

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

export function summarizeUsage(entries: readonly UsageEntry[], query: UsageQuery = {}): UsageRow[] {
  const by = query.by ?? "agent";
  const rows = new Map<string, { row: UsageRow; latency: LatencyHistogram }>();
  for (const entry of entries) {
    if (query.agent !== undefined && entry.agent !== query.agent) continue;
    // A minute counts when any of it lies after `since`: sums are kept per minute.
    if (query.since !== undefined && Date.parse(entry.minute) + MINUTE_MS <= query.since) continue;
    const key = by === "agent" ? entry.agent : by === "model" ? entry.model : entry.session;
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
        latency: emptyHistogram(),
      };
      rows.set(key, item);
    }
    item.row.turns += entry.turns;
    item.row.modelCalls += entry.calls;
    item.row.inputTokens += entry.input;
    item.row.outputTokens += entry.output;
    item.row.cachedInputTokens += entry.cached;
    merge(item.latency, entry.latency);
  }
  return [...rows.values()]
    .map(({ row, latency }) => ({
      ...row,
      latencyMs:
        latency.count === 0
          ? null
          : {
              avg: round(latency.sum / latency.count),
              p50: round(percentile(latency, 0.5)),
              p95: round(percentile(latency, 0.95)),
              max: round(latency.max),
            },
    }))
    .sort(
      (a, b) => b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens) || (a.key < b.key ? -1 : 1),
    );
}
