import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import type { AgentMemoryStatus } from "./memory-status.js";
import { isCorruption } from "./store/index.js";

export interface StoreFailure {
  path: string;
  /** What SQLite said: "database disk image is malformed", "file is not a database", … */
  reason: string;
  since: string;
}

export function repairCommand(agentId: string): string {
  return `openclaw memory repair ${agentId}`;
}

/**
 * The agents whose memory file is damaged. Their memory is refused as a whole (reads of a
 * damaged file may be wrong, writes to it may be lost again at the repair) with one error that
 * says which agent, which file and what to run; the agent itself keeps working without memory.
 */
export class StoreFailures {
  private readonly failures = new Map<string, StoreFailure>();

  constructor(private readonly logger: Logger) {}

  get(agentId: string): StoreFailure | undefined {
    return this.failures.get(agentId);
  }

  record(agentId: string, path: string, reason: string): StoreFailure {
    const existing = this.failures.get(agentId);
    if (existing) return existing;
    const failure = { path, reason, since: new Date().toISOString() };
    this.failures.set(agentId, failure);
    this.logger.error(
      { agent: agentId, path, reason },
      `memory store is corrupt: the agent's memory tools are refused until \`${repairCommand(agentId)}\``,
    );
    return failure;
  }

  clear(agentId: string): void {
    this.failures.delete(agentId);
  }

  /** Throws the agent's error when its store has failed. */
  assertUsable(agentId: string): void {
    const failure = this.failures.get(agentId);
    if (failure) throw corruptMemoryError(agentId, failure);
  }

  /** A store's own corruption error names a file; the agent's names the agent and the fix. */
  explain(agentId: string, error: unknown): unknown {
    if (!isCorruption(error)) return error;
    const failure = this.failures.get(agentId);
    return failure ? corruptMemoryError(agentId, failure) : error;
  }

  statusRows(search: AgentMemoryStatus["search"]): AgentMemoryStatus[] {
    return [...this.failures].map(([agentId, failure]) => ({
      agentId,
      state: "failed",
      failure: `store ${failure.path} is corrupt: ${failure.reason}`,
      fix: repairCommand(agentId),
      items: 0,
      outboxDepth: 0,
      syncLagMs: undefined,
      syncState: "off",
      lastError: undefined,
      search,
    }));
  }
}

export function corruptMemoryError(agentId: string, failure: StoreFailure): OpenClawError {
  return new OpenClawError(
    "OC_ERR_MEMORY_CORRUPT",
    `the memory of agent "${agentId}" is unavailable: its store ${failure.path} is corrupt (${failure.reason}); nothing is read from or written to it until an operator runs \`${repairCommand(agentId)}\``,
    {
      hint: "the repair keeps the damaged file aside and rebuilds the store from MEMORY.md, memory/*.md, Qdrant (mode primary) and the rows still readable",
      details: { agentId, path: failure.path, reason: failure.reason },
    },
  );
}
