export { toUsageEntry, type UsageEntry, UsageLedger, usageDir, usageFileFor } from "./usage-ledger.js";
export {
  readUsage,
  summarizeUsage,
  type UsageGrouping,
  type UsageQuery,
  type UsageRow,
} from "./usage-report.js";
