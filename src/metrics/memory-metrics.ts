import { Gauge, type Registry } from "prom-client";
import type { AgentMemoryStatus } from "../memory/index.js";

/** Each agent's memory outbox (writes not yet in Qdrant) and how far behind the sync is, at scrape time. */
export class MemoryMetrics {
  private readonly outboxDepth: Gauge<"agent">;
  private readonly syncLag: Gauge<"agent">;
  private readonly items: Gauge<"agent">;

  constructor(registry: Registry) {
    this.outboxDepth = new Gauge({
      name: "openclaw_memory_outbox_depth",
      help: "Memory writes of each agent waiting to be synced to Qdrant.",
      labelNames: ["agent"],
      registers: [registry],
    });
    this.syncLag = new Gauge({
      name: "openclaw_memory_sync_lag_seconds",
      help: "Age of each agent's oldest memory write not yet in Qdrant; 0 when none waits.",
      labelNames: ["agent"],
      registers: [registry],
    });
    this.items = new Gauge({
      name: "openclaw_memory_items",
      help: "Items in each agent's memory.",
      labelNames: ["agent"],
      registers: [registry],
    });
  }

  /** `undefined`: memory is off (memory.enabled false), and so are these series. */
  update(statuses: readonly AgentMemoryStatus[] | undefined): void {
    this.outboxDepth.reset();
    this.syncLag.reset();
    this.items.reset();
    for (const status of statuses ?? []) {
      const agent = status.agentId;
      this.outboxDepth.set({ agent }, status.outboxDepth);
      this.syncLag.set({ agent }, (status.syncLagMs ?? 0) / 1000);
      this.items.set({ agent }, status.items);
    }
  }
}
