import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AgentPlacement, AgentRunner } from "../agent-runner.js";
import { heapSnapshotPath, writeThreadHeapSnapshot } from "./heap-snapshots.js";

function runner(placement: AgentPlacement, withSnapshot = true): AgentRunner {
  return {
    placement,
    start: async () => undefined,
    runTurn: () => Promise.reject(new Error("not here")),
    close: async () => undefined,
    stats: () => ({}),
    ...(withSnapshot
      ? {
          writeHeapSnapshot: async (path: string) => {
            await writeFile(path, "{}", { mode: 0o600 });
            return 2;
          },
        }
      : {}),
  };
}

describe("heap snapshots", () => {
  let base: string;
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), "heap-snapshots-"));
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  it("are named for the agent and the time, safe as a file name", () => {
    const at = new Date("2026-11-25T10:11:12.345Z");
    expect(heapSnapshotPath("/snapshots", "main", at)).toBe(
      "/snapshots/main-2026-11-25T10-11-12-345Z.heapsnapshot",
    );
  });

  it("are written for a thread of the agent's own, into a directory only its owner reads", async () => {
    const directory = join(base, "nested", "snapshots");
    const at = new Date("2026-11-25T10:11:12.345Z");
    const written = await writeThreadHeapSnapshot("main", runner("thread"), "ready", directory, at);
    expect(written).toEqual({ path: heapSnapshotPath(directory, "main", at), bytes: 2 });
    expect((await stat(directory)).mode & 0o777).toBe(0o700);
  });

  it("are refused for the main thread and the pool, and for an agent without a runner", async () => {
    for (const placement of ["main", "pool"] as const) {
      await expect(writeThreadHeapSnapshot("main", runner(placement), "ready", base)).rejects.toMatchObject({
        code: "OC_ERR_BAD_REQUEST",
        message: `agent "main" has no worker thread of its own to snapshot (${placement})`,
      });
    }
    await expect(writeThreadHeapSnapshot("main", undefined, "degraded", base)).rejects.toThrow(
      /\(degraded\)/,
    );
  });
});
