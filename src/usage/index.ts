export { type LatencyHistogram, percentile } from "./latency-histogram.js";
export {
  type UsageEntry,
  UsageLedger,
  type UsageLedgerOptions,
  usageDir,
  usageFileFor,
  usageSessionLabel,
} from "./usage-ledger.js";
export {
  readUsage,
  summarizeUsage,
  type UsageGrouping,
  type UsageQuery,
  type UsageRow,
} from "./usage-report.js";
