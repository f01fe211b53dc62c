export { type LatencyHistogram, percentile } from "./latency-histogram.js";
export { isUsageEntry, type UsageEntry } from "./usage-entry.js";
export { UsageLedger, type UsageLedgerOptions, usageSessionLabel } from "./usage-ledger.js";
export {
  readUsage,
  summarizeUsage,
  type UsageGrouping,
  type UsageQuery,
  type UsageRow,
} from "./usage-report.js";
