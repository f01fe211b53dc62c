import type { UsageEntry } from "../../usage/usage-entry.js";
import {
  type UsageRange,
  type UsageRead,
  type UsageRepository,
  usageEntryInRange,
} from "../usage-repository.js";
import { type MemoryLocation, parseUsageLines } from "./memory-location.js";

/** Usage sums in a MemoryLocation, serialized as a database would keep them. */
export class MemoryUsageRepository implements UsageRepository {
  readonly location = "memory";

  constructor(private readonly memory: MemoryLocation) {}

  async record(entries: readonly UsageEntry[]): Promise<void> {
    for (const entry of entries) this.memory.usage.push(JSON.stringify(entry));
  }

  async query(range: UsageRange = {}): Promise<UsageRead> {
    const entries = parseUsageLines(this.memory.usage).filter((entry) => usageEntryInRange(entry, range));
    return { entries, damage: [] };
  }

  async close(): Promise<void> {}
}
