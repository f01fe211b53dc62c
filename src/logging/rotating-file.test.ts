import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FakeDisk } from "../append-only/testing/fake-disk.js";
import type { StateWriter } from "../state-dir-health/index.js";
import { type LogFileOutage, RotatingFile } from "./rotating-file.js";

const until = async (check: () => boolean, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

/** Records what a log file tells the state dir's health. */
function recordingReporter() {
  const events: string[] = [];
  return {
    events,
    writeFailed: (writer: StateWriter, error: unknown) => {
      events.push(`${writer} failed ${(error as NodeJS.ErrnoException).code}`);
      return undefined;
    },
    writeSucceeded: (writer: StateWriter) => {
      events.push(`${writer} ok`);
    },
  };
}

describe("RotatingFile", () => {
  let dir: string;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const lineOf = (index: number) => `${JSON.stringify({ index, pad: "x".repeat(20) })}\n`;
  const indexesIn = async (paths: string[]) =>
    (await Promise.all(paths.map((path) => readFile(path, "utf8"))))
      .join("")
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { index: number }).index);

  it("rotates past maxBytes, keeps maxFiles, and writes 0600 files", async () => {
    dir = await mkdtemp(join(tmpdir(), "oc-rotate-"));
    const path = join(dir, "logs", "gateway.log");
    const file = new RotatingFile(path, { maxBytes: 100, maxFiles: 2 });
    // Paced like a quiet gateway: each line is on disk before the next.
    for (let index = 0; index < 20; index++) {
      file.write(lineOf(index));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await file.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const names = (await readdir(join(dir, "logs"))).sort();
    expect(names).toEqual(["gateway.log", "gateway.log.1", "gateway.log.2"]);
    for (const name of names) {
      const info = await stat(join(dir, "logs", name));
      expect(info.size).toBeLessThanOrEqual(100);
      expect(info.mode & 0o777).toBe(0o600);
    }
    const indexes = await indexesIn([`${path}.2`, `${path}.1`, path]);
    expect(indexes.at(-1)).toBe(19);
    expect(indexes).toEqual(indexes.map((_, position) => (indexes[0] as number) + position));
  });

  it("keeps lines in order across files when a burst outruns the disk", async () => {
    dir = await mkdtemp(join(tmpdir(), "oc-rotate-"));
    const path = join(dir, "gateway.log");
    // Two lines a file: room for all 200 lines, so none is rotated away.
    const file = new RotatingFile(path, { maxBytes: 100, maxFiles: 150 });
    for (let index = 0; index < 200; index++) {
      file.write(lineOf(index));
      if (index % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await file.end();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const rotated = (await readdir(dir)).filter((name) => name !== "gateway.log");
    expect(rotated.length).toBeGreaterThan(2);
    const oldestFirst = rotated
      .map((name) => Number(name.split(".").at(-1)))
      .sort((a, b) => b - a)
      .map((index) => `${path}.${index}`);
    const indexes = await indexesIn([...oldestFirst, path]);
    // No file grows past maxBytes, and nothing is lost or reordered.
    expect(indexes).toEqual(Array.from({ length: 200 }, (_, index) => index));
    for (const name of await readdir(dir))
      expect((await stat(join(dir, name))).size).toBeLessThanOrEqual(100);
  });

  it("keeps only the active file with maxFiles 0", async () => {
    dir = await mkdtemp(join(tmpdir(), "oc-rotate-"));
    const path = join(dir, "gateway.log");
    const file = new RotatingFile(path, { maxBytes: 50, maxFiles: 0 });
    for (let index = 0; index < 10; index++) file.write(`line ${index} ${"y".repeat(20)}\n`);
    await file.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await readdir(dir)).toEqual(["gateway.log"]);
    expect(await readFile(path, "utf8")).toContain("line 9");
  });

  it("on a full disk: never throws, buffers, retries by itself and writes every line whole once space returns", async () => {
    dir = await mkdtemp(join(tmpdir(), "oc-rotate-"));
    const path = join(dir, "gateway.log");
    const disk = new FakeDisk(50); // the first line fits, the second is cut short
    const outages: LogFileOutage[] = [];
    const file = new RotatingFile(path, undefined, {
      open: disk.open,
      writeSync: disk.writeSync,
      retryMs: { first: 10, max: 40 },
      onRecovered: (outage) => outages.push(outage),
    });
    const reporter = recordingReporter();
    file.reportTo(reporter);
    for (let index = 0; index < 10; index++) expect(() => file.write(lineOf(index))).not.toThrow();
    await until(() => reporter.events.length > 0);
    expect(file.failing).toBe(true);
    expect(reporter.events[0]).toBe("logs failed ENOSPC");
    const writesWhileFull = disk.writes;
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Backed off: a few tries in 100 ms, not a busy loop.
    expect(disk.writes - writesWhileFull).toBeLessThan(10);
    disk.free = undefined;
    await until(() => !file.failing);
    await file.end();
    const text = await readFile(path, "utf8");
    expect(text.endsWith("\n")).toBe(true);
    expect(await indexesIn([path])).toEqual(Array.from({ length: 10 }, (_, index) => index));
    expect(reporter.events.at(-1)).toBe("logs ok");
    expect(outages).toEqual([{ code: "ENOSPC", failedForMs: expect.any(Number), droppedLines: 0 }]);
  });

  it("drops and counts the lines that do not fit its buffer while the disk refuses writes", async () => {
    dir = await mkdtemp(join(tmpdir(), "oc-rotate-"));
    const path = join(dir, "gateway.log");
    const disk = new FakeDisk(0);
    const outages: LogFileOutage[] = [];
    const file = new RotatingFile(path, undefined, {
      open: disk.open,
      maxBufferedBytes: 400,
      retryMs: { first: 10, max: 10 },
      onRecovered: (outage) => outages.push(outage),
    });
    file.write(lineOf(0));
    await until(() => file.failing);
    for (let index = 1; index < 50; index++) file.write(lineOf(index));
    const kept = 50 - file.droppedLines;
    expect(file.droppedLines).toBeGreaterThan(30);
    disk.free = undefined;
    await until(() => !file.failing);
    await file.end();
    // The oldest lines are kept: they tell how the outage began.
    expect(await indexesIn([path])).toEqual(Array.from({ length: kept }, (_, index) => index));
    expect(outages[0]?.droppedLines).toBe(50 - kept);
  });

  it("gives up a flush at exit at the first error instead of retrying forever", async () => {
    dir = await mkdtemp(join(tmpdir(), "oc-rotate-"));
    const path = join(dir, "gateway.log");
    const disk = new FakeDisk();
    const file = new RotatingFile(path, undefined, { open: disk.open, writeSync: disk.writeSync });
    file.write(lineOf(0));
    await until(() => disk.writes > 0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    disk.free = 0;
    for (let index = 1; index < 100; index++) file.write(lineOf(index));
    const startedAt = performance.now();
    expect(() => file.flushSync()).not.toThrow();
    expect(performance.now() - startedAt).toBeLessThan(200);
  });

  it("cuts a torn last line left by a kill before it writes, and says so", async () => {
    dir = await mkdtemp(join(tmpdir(), "oc-rotate-"));
    const path = join(dir, "gateway.log");
    await writeFile(path, `${lineOf(0)}{"index":1,"pa`);
    const cuts: number[] = [];
    const file = new RotatingFile(path, undefined, { onRepaired: (cut) => cuts.push(cut) });
    file.write(lineOf(2));
    await file.end();
    expect(await indexesIn([path])).toEqual([0, 2]);
    expect(cuts).toEqual([14]);
  });
});
