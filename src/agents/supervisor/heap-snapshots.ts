import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { OpenClawError } from "../../errors.js";
import type { AgentRunner } from "../agent-runner.js";

/** `<directory>/<agentId>-<ISO time, file-safe>.heapsnapshot` */
export function heapSnapshotPath(directory: string, agentId: string, at: Date): string {
  return join(directory, `${agentId}-${at.toISOString().replace(/[:.]/g, "-")}.heapsnapshot`);
}

/**
 * Writes a heap snapshot of a thread-bound agent's worker into `directory` (created owner-only).
 * Only a thread of the agent's own is ever dumped: the main thread's heap (and a pool thread's,
 * shared with other agents) holds what this agent must not see.
 */
export async function writeThreadHeapSnapshot(
  agentId: string,
  runner: AgentRunner | undefined,
  state: string,
  directory: string,
  at = new Date(),
): Promise<{ path: string; bytes: number }> {
  if (!runner?.writeHeapSnapshot || runner.placement !== "thread") {
    throw new OpenClawError(
      "OC_ERR_BAD_REQUEST",
      `agent "${agentId}" has no worker thread of its own to snapshot (${runner ? runner.placement : state})`,
      { hint: "heap snapshots are taken of thread-bound agents; set threadBound: true on it" },
    );
  }
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const path = heapSnapshotPath(directory, agentId, at);
  const bytes = await runner.writeHeapSnapshot(path);
  return { path, bytes };
}
