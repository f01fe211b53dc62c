import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppendOnlyFile } from "./append-only-file.js";
import { parseJsonLines } from "./jsonl-lines.js";
import { FakeDisk } from "./testing/fake-disk.js";

describe("AppendOnlyFile", () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "append-only-"));
    path = join(dir, "file.jsonl");
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("cuts a torn last line before its first append, so the new line is not glued to it", async () => {
    await writeFile(path, '{"n":1}\n{"n":2}\n{"n":3,"tor');
    const cuts: number[] = [];
    const file = new AppendOnlyFile(path, { onRepaired: (_, cut) => cuts.push(cut) });
    await file.append('{"n":4}\n');
    await file.close();
    expect(await readFile(path, "utf8")).toBe('{"n":1}\n{"n":2}\n{"n":4}\n');
    expect(cuts).toEqual(['{"n":3,"tor'.length]);
  });

  it("empties a file that holds only a torn line, and leaves a whole file alone", async () => {
    await writeFile(path, "x".repeat(200_000)); // longer than one read block: the scan goes on
    const file = new AppendOnlyFile(path);
    await file.append("a\n");
    await file.append("b\n");
    await file.close();
    expect(await readFile(path, "utf8")).toBe("a\nb\n");
  });

  it("rolls back an append the disk refuses part-way: the file is as before, and the next append is whole", async () => {
    await writeFile(path, "before\n");
    const disk = new FakeDisk(10);
    const file = new AppendOnlyFile(path, { open: disk.open });
    await expect(file.append("one line that does not fit\nand another\n")).rejects.toMatchObject({
      code: "ENOSPC",
    });
    expect(await readFile(path, "utf8")).toBe("before\n");
    disk.free = undefined;
    await file.append("after\n");
    await file.close();
    expect(await readFile(path, "utf8")).toBe("before\nafter\n");
  });

  it("repairs by the torn-tail rule when even the rollback fails", async () => {
    const disk = new FakeDisk(12);
    disk.failTruncate = true;
    const file = new AppendOnlyFile(path, { open: disk.open });
    await file.append("whole\n");
    await expect(file.append("cut short here\n")).rejects.toMatchObject({ code: "ENOSPC" });
    expect(await readFile(path, "utf8")).toBe("whole\ncut sh");
    disk.free = undefined;
    disk.failTruncate = false;
    await file.append("next\n");
    await file.close();
    expect(await readFile(path, "utf8")).toBe("whole\nnext\n");
  });

  it("notices another hand's torn write between its own appends", async () => {
    const file = new AppendOnlyFile(path);
    await file.append("mine\n");
    await appendFile(path, '{"half":');
    await file.append("mine again\n");
    await file.close();
    expect(await readFile(path, "utf8")).toBe("mine\nmine again\n");
  });

  it("takes back a whole append on request, for a batch that failed in another file", async () => {
    await writeFile(path, "before\n");
    const file = new AppendOnlyFile(path);
    const start = await file.append("taken back\n");
    expect(start).toBe("before\n".length);
    await file.rollBackTo(start);
    await file.append("after\n");
    await file.close();
    expect(await readFile(path, "utf8")).toBe("before\nafter\n");
  });
});

describe("parseJsonLines", () => {
  const isRecord = (value: unknown): value is { n: number } =>
    typeof value === "object" && value !== null && typeof (value as { n?: unknown }).n === "number";

  it("returns the good entries and names every damaged line by number and kind", () => {
    const text = ['{"n":1}', "", "garbage", '{"n":2}{"n":3}', '"a string"', '{"n":4}', '{"n":5'].join("\n");
    const { values, damaged } = parseJsonLines(text, isRecord);
    expect(values).toEqual([{ n: 1 }, { n: 4 }]);
    expect(damaged).toEqual([
      { line: 3, kind: "unparsable" },
      { line: 4, kind: "unparsable" },
      { line: 5, kind: "unexpected" },
      { line: 7, kind: "torn" },
    ]);
  });

  it("counts a last line without its newline as torn even when it parses", () => {
    expect(parseJsonLines('{"n":1}\n{"n":2}', isRecord)).toEqual({
      values: [{ n: 1 }],
      damaged: [{ line: 2, kind: "torn" }],
    });
    expect(parseJsonLines("", isRecord)).toEqual({ values: [], damaged: [] });
  });
});
