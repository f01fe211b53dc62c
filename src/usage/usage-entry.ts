import type { LatencyHistogram } from "./latency-histogram.js";

/**
 * What one agent's turns in one session used of one model during one minute, as the providers
 * reported it. Several entries may share a key (one per flush); readers add them up.
 */
export interface UsageEntry {
  /** ISO time of the minute's start. */
  minute: string;
  agent: string;
  session: string;
  model: string;
  turns: number;
  calls: number;
  input: number;
  output: number;
  cached: number;
  /** Model call latency, request to end of stream. */
  latency: LatencyHistogram;
}

/** Whether a stored value is one the report can count: a foreign or hand-edited line is not. */
export function isUsageEntry(value: unknown): value is UsageEntry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.minute === "string" &&
    typeof entry.agent === "string" &&
    typeof entry.session === "string" &&
    typeof entry.model === "string" &&
    ["turns", "calls", "input", "output", "cached"].every((field) => Number.isFinite(entry[field])) &&
    typeof entry.latency === "object" &&
    entry.latency !== null
  );
}
