import type { DatabaseSync } from "node:sqlite";
import { OpenClawError } from "../../errors.js";
import { createVectorTable, storedVectorDimensions } from "./schema.js";
import type { StatementGuard } from "./statement-guard.js";

/** Refuses vector work on a platform without the sqlite-vec binary (keyword search still works). */
export function requireVectorExtension(available: boolean, path: string): void {
  if (available) return;
  throw new OpenClawError(
    "OC_ERR_INTERNAL",
    "the sqlite-vec extension could not be loaded on this platform",
    {
      hint: "reinstall dependencies (npm ci) so the sqlite-vec binary for this platform is present, or run memory without an embedder",
      details: { path },
    },
  );
}

/**
 * Brings the file's vector table in line with the embedder: creates it for `requested`
 * dimensions when there is none, refuses a table of another size (the model changed: reset it),
 * and says whether there is a table to keep in step with the memories.
 */
export function settleVectorTable(options: {
  db: DatabaseSync;
  path: string;
  guard: StatementGuard;
  requested: number | undefined;
  vectorExtension: boolean;
}): { hasVectorTable: boolean } {
  const { db, path, requested } = options;
  let stored = storedVectorDimensions(db);
  if (stored === undefined && requested !== undefined) {
    requireVectorExtension(options.vectorExtension, path);
    // Checked again under the write lock: another process may be creating the table right now.
    stored = options.guard.transaction(() => {
      const locked = storedVectorDimensions(db);
      if (locked === undefined) createVectorTable(db, requested);
      return locked ?? requested;
    });
  }
  if (stored !== undefined && requested !== undefined && stored !== requested) {
    throw new OpenClawError(
      "OC_ERR_BAD_REQUEST",
      `memory store ${path} holds ${stored}-dimension vectors but the embedder produces ${requested}`,
      {
        hint: "the embedding model changed: open the store without dimensions, call resetVectors() with the new size and re-embed",
        details: { path, storedDimensions: stored, requestedDimensions: requested },
      },
    );
  }
  const hasVectorTable = stored !== undefined || requested !== undefined;
  if (hasVectorTable) requireVectorExtension(options.vectorExtension, path);
  return { hasVectorTable };
}
