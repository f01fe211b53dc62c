import { describe, expect, it } from "vitest";
import { coalesceEntries } from "./coalesce-entries.js";
import type { OutboxEntry } from "./outbox.js";

describe("coalesceEntries", () => {
  let seq = 0;
  const record = (id: string) => ({ id, text: id, tags: [], source: {}, createdAt: "t", updatedAt: "t" });
  const upsert = (id: string, vector: ArrayLike<number> | null = [1, 2, 3, 4]): OutboxEntry => ({
    seq: ++seq,
    op: "upsert",
    memoryId: id,
    record: record(id),
    ...(vector ? { vector } : {}),
    enqueuedAt: "t",
  });
  const remove = (id: string): OutboxEntry => ({ seq: ++seq, op: "delete", memoryId: id, enqueuedAt: "t" });

  it("ends an upsert then a delete of one memory deleted, and a delete then an upsert present", () => {
    const batch = [upsert("a"), upsert("b"), remove("a"), remove("c"), upsert("c")];
    const { runs, seqs } = coalesceEntries(batch, 4);
    expect(
      runs.map((run) =>
        run.op === "upsert" ? ["upsert", run.entries.map((e) => e.memoryId)] : ["delete", run.memoryIds],
      ),
    ).toEqual([
      ["upsert", ["b"]],
      ["delete", ["a"]],
      ["upsert", ["c"]],
    ]);
    expect(seqs).toEqual(batch.map((entry) => entry.seq));
    expect(runs.at(-1)?.lastSeq).toBe(batch.at(-1)?.seq);
  });

  it("keeps the order of the surviving entries, whatever order it was given", () => {
    const batch = [upsert("x"), upsert("y"), upsert("x"), upsert("z")];
    const { runs } = coalesceEntries([...batch].reverse(), 4);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.op === "upsert" && runs[0].entries.map((entry) => entry.memoryId)).toEqual([
      "y",
      "x",
      "z",
    ]);
  });

  it("skips upserts Qdrant would refuse, and turns typed arrays into JSON arrays", () => {
    const batch = [upsert("none", null), upsert("short", [1, 2]), upsert("nan", [1, Number.NaN, 0, 0])];
    batch.push(upsert("typed", new Float32Array([0.5, 1, 1.5, 2])));
    const { runs, skipped } = coalesceEntries(batch, 4);
    expect(skipped.map((skip) => skip.entry.memoryId)).toEqual(["none", "short", "nan"]);
    expect(skipped[0]?.reason).toMatch(/without a vector/);
    expect(skipped[1]?.reason).toMatch(/2 dimensions, the collection takes 4/);
    const typed = runs[0]?.op === "upsert" ? runs[0].entries[0]?.vector : undefined;
    expect(Array.isArray(typed)).toBe(true);
    expect(JSON.stringify(typed)).toBe("[0.5,1,1.5,2]");
  });
});
