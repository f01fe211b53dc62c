import { existsSync } from "node:fs";
import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import { healthyReport, type MemoryRepairReport, rebuildStore } from "./repair/index.js";
import { type AgentMemoryStore, isCorruption } from "./store/index.js";
import type { StoreFailures } from "./store-failures.js";
import type { QdrantMemoryPoint } from "./sync/index.js";

export interface MemoryRepairOptions {
  /** Rebuild even a store that passes its integrity check. */
  force?: boolean;
  /** Indexes the agent's workspace files into the new store; resolves with how many. */
  reindexWorkspace?: () => Promise<number>;
  /** Qdrant's points for the agent; by default its sync's, when memory.qdrant.mode is "primary". */
  qdrantPoints?: () => Promise<QdrantMemoryPoint[]>;
}

/** What a repair needs of the memory service. */
export interface RepairHost {
  logger: Logger;
  failures: StoreFailures;
  /** The agent's store file, for an agent id that can only name a file in the memory directory. */
  pathOf(agentId: string): string;
  store(agentId: string): Promise<AgentMemoryStore>;
  /** Stops the agent's sync and re-embedding and closes its store: the file is free afterwards. */
  detach(agentId: string): Promise<void>;
  /** Qdrant's copy of the agent's memories, when Qdrant is where they live (mode "primary"). */
  qdrantPointsOf(agentId: string): (() => Promise<QdrantMemoryPoint[]>) | undefined;
  /** The rebuilt store is open: re-embed what needs it, sync it, count it. */
  rebuilt(agentId: string, store: AgentMemoryStore): Promise<void>;
}

/**
 * `openclaw memory repair <agent>`: the damaged file (and its -wal/-shm) is moved aside and
 * kept, a new store is built in its place and filled with what can be recovered (see
 * rebuildStore). A store that passes its integrity check is left alone unless `force`.
 */
export class MemoryRepairs {
  private readonly running = new Set<string>();

  constructor(private readonly host: RepairHost) {}

  async repair(agentId: string, options: MemoryRepairOptions = {}): Promise<MemoryRepairReport> {
    const path = this.host.pathOf(agentId);
    let problem = this.host.failures.get(agentId)?.reason;
    if (problem === undefined) {
      if (!existsSync(path)) {
        throw new OpenClawError("OC_ERR_NOT_FOUND", `agent "${agentId}" has no memory store (${path})`, {
          hint: "openclaw memory status lists the agents whose memory is in use",
        });
      }
      problem = await this.checkNow(agentId);
      if (problem === undefined && !options.force) {
        return healthyReport(agentId, await (await this.host.store(agentId)).count());
      }
    }
    if (this.running.has(agentId)) {
      throw new OpenClawError("OC_ERR_MEMORY", `a repair of agent "${agentId}"'s memory is already running`, {
        hint: "wait for it to finish; openclaw memory status shows the store's state",
      });
    }
    this.running.add(agentId);
    try {
      return await this.rebuild(agentId, path, problem, options);
    } finally {
      this.running.delete(agentId);
    }
  }

  private async rebuild(
    agentId: string,
    path: string,
    problem: string | undefined,
    options: MemoryRepairOptions,
  ): Promise<MemoryRepairReport> {
    await this.host.detach(agentId);
    this.host.failures.clear(agentId);
    const qdrantPoints = options.qdrantPoints ?? this.host.qdrantPointsOf(agentId);
    const report = await rebuildStore({
      agentId,
      path,
      problem: problem ?? "rebuilt on request (--force)",
      openFresh: () => this.host.store(agentId),
      ...(qdrantPoints ? { qdrantPoints } : {}),
      ...(options.reindexWorkspace ? { reindexWorkspace: options.reindexWorkspace } : {}),
    });
    if (!qdrantPoints) {
      report.notes.push(
        'Qdrant was not read (it is, with memory.qdrant.mode "primary"): the local store was the only copy',
      );
    }
    await this.host.rebuilt(agentId, await this.host.store(agentId));
    this.host.logger.warn(
      { agent: agentId, keptAside: report.keptAside, recovered: report.recovered, items: report.items },
      "memory store rebuilt",
    );
    return report;
  }

  /** The store's integrity, checked now; a problem found also fails the store. */
  private async checkNow(agentId: string): Promise<string | undefined> {
    try {
      return await (await this.host.store(agentId)).checkIntegrity();
    } catch (error) {
      if (!isCorruption(error)) throw error;
      return this.host.failures.get(agentId)?.reason ?? (error as Error).message;
    }
  }
}
