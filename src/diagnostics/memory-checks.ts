import type { OpenClawConfig } from "../config/index.js";
import { type Diagnostic, fail, formatAge, ok, plural, warn } from "./diagnostic.js";
import type { MemorySyncFact } from "./facts.js";

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
