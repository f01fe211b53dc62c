import type { OpenClawConfig } from "../config/index.js";
import { type Diagnostic, fail, formatAge, ok, plural, warn } from "./diagnostic.js";
import type { MemoryStoreFileFact, MemorySyncFact } from "./facts.js";

const ID = "memory-sync";
/** A sync that has not caught up for this long is stalled (as `openclaw memory status` says). */
export const STALLED_SYNC_MS = 5 * 60_000;

function qdrantUrl(config: OpenClawConfig | undefined): string {
  return config?.memory.qdrant?.url ?? "memory.qdrant.url";
}

/** Qdrant is configured but cannot be synced to: memories stay local and a second gateway never sees them. */
export function checkQdrantSetup(config: OpenClawConfig | undefined): Diagnostic[] {
  if (!config?.memory.enabled || !config.memory.qdrant || config.memory.embeddings) return [];
  return [
    warn(
      "memory-qdrant-setup",
      "memory.qdrant is set but memory.embeddings is not: Qdrant stores vectors, so the sync is off and no memory reaches Qdrant",
      'set memory.embeddings, e.g. "memory": { "embeddings": { "model": "nomic-embed-text", "baseUrl": "http://127.0.0.1:11434/v1" } }',
    ),
  ];
}

/**
 * The seed's fourth checklist line: "Memory loss → check Qdrant sync". Writes wait in each
 * agent's local outbox until Qdrant confirms them; a sync that fails or lags means Qdrant (and
 * whoever searches it) is missing those memories.
 */
export function checkMemorySync(
  rows: MemorySyncFact[] | undefined,
  config: OpenClawConfig | undefined,
): Diagnostic[] {
  const synced = (rows ?? []).filter((row) => row.syncState !== "off");
  if (synced.length === 0) {
    return [
      ok(
        ID,
        config?.memory.qdrant
          ? "memory sync: no agent memory written yet"
          : "memory sync: Qdrant not configured (memories stay in each agent's local store)",
      ),
    ];
  }
  const url = qdrantUrl(config);
  const reachFix =
    `check that Qdrant answers at ${url} (curl ${url}/collections) and that memory.qdrant.apiKey is right; ` +
    "queued memories are sent once it answers (openclaw memory status shows the outbox)";
  const findings: Diagnostic[] = [];
  for (const row of synced) {
    const queued = `${plural(row.outboxDepth, "memory", "memories")} not in Qdrant`;
    const lastError = row.lastError ? `; last error: ${row.lastError}` : "";
    const extra = { subject: row.agentId };
    if (row.syncState === "failed") {
      findings.push(
        fail(
          ID,
          `memory sync of agent "${row.agentId}" to Qdrant has failed and stopped: ${queued}${lastError}`,
          `rebuild the collection from the local store: openclaw memory resync ${row.agentId}`,
          extra,
        ),
      );
    } else if ((row.syncLagMs ?? 0) > STALLED_SYNC_MS) {
      findings.push(
        fail(
          ID,
          `memory sync of agent "${row.agentId}" to Qdrant is stalled: ${queued}, the oldest for ${formatAge(row.syncLagMs ?? 0)}${lastError}`,
          reachFix,
          extra,
        ),
      );
    } else if (row.outboxDepth > 0 && (row.syncState === "backing-off" || row.lastError !== undefined)) {
      // A last error is cleared by the next success: with one, a retry in flight is still failing.
      findings.push(
        fail(
          ID,
          `memory sync of agent "${row.agentId}" to Qdrant is failing: ${queued}, retrying${lastError}`,
          reachFix,
          extra,
        ),
      );
    }
  }
  if (findings.length > 0) return findings;
  return [ok(ID, `memory sync: ${plural(synced.length, "agent")} syncing to Qdrant normally`)];
}

const STORE_ID = "memory-store";

function repairFix(agentId: string, gatewayRunning: boolean): string {
  return (
    `openclaw memory repair ${agentId}: it keeps the damaged file aside (${agentId}.sqlite.corrupt-<time>) and ` +
    "rebuilds the store from the rows still readable, Qdrant (memory.qdrant.mode primary) and MEMORY.md, memory/*.md" +
    (gatewayRunning ? "" : "; it works with the gateway stopped")
  );
}

/**
 * A damaged memory file (SQLite: malformed, not a database). SQLite opens such a file without a
 * word and even takes writes, so without this the damage shows only as memory_search failing
 * now and then. The running gateway checks its stores itself (at open, and on any statement);
 * with the gateway stopped, doctor checks the files.
 */
export function checkMemoryStores(
  running: MemorySyncFact[] | undefined,
  files: MemoryStoreFileFact[] | undefined,
): Diagnostic[] {
  const findings: Diagnostic[] = [];
  for (const row of running ?? []) {
    if (row.state !== "failed") continue;
    findings.push(
      fail(
        STORE_ID,
        `memory of agent "${row.agentId}" has failed: ${row.failure ?? "its store is corrupt"}; its memory tools are refused (the agent still runs)`,
        repairFix(row.agentId, true),
        { subject: row.agentId },
      ),
    );
  }
  for (const file of files ?? []) {
    if (!file.problem) continue;
    findings.push(
      fail(
        STORE_ID,
        `memory store of agent "${file.agentId}" is corrupt: ${file.path}: ${file.problem}; the gateway will refuse that agent's memory`,
        repairFix(file.agentId, false),
        { subject: file.agentId },
      ),
    );
  }
  if (findings.length > 0) return findings;
  const checked = running?.length ?? files?.length ?? 0;
  return checked === 0
    ? []
    : [ok(STORE_ID, `memory stores: ${plural(checked, "store")} checked, none corrupt`)];
}
