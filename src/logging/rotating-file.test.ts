import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RotatingFile } from "./rotating-file.js";

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
    file.end();
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
    const file = new RotatingFile(path, { maxBytes: 100, maxFiles: 50 });
    for (let index = 0; index < 200; index++) {
      file.write(lineOf(index));
      if (index % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    file.end();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const rotated = (await readdir(dir)).filter((name) => name !== "gateway.log");
    expect(rotated.length).toBeGreaterThan(2);
    const oldestFirst = rotated
      .map((name) => Number(name.split(".").at(-1)))
      .sort((a, b) => b - a)
      .map((index) => `${path}.${index}`);
    const indexes = await indexesIn([...oldestFirst, path]);
    // A file may overshoot by what was buffered at the rotation, but nothing is lost or reordered.
    expect(indexes).toEqual(Array.from({ length: 200 }, (_, index) => index));
  });

  it("keeps only the active file with maxFiles 0", async () => {
    dir = await mkdtemp(join(tmpdir(), "oc-rotate-"));
    const path = join(dir, "gateway.log");
    const file = new RotatingFile(path, { maxBytes: 50, maxFiles: 0 });
    for (let index = 0; index < 10; index++) file.write(`line ${index} ${"y".repeat(20)}\n`);
    file.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await readdir(dir)).toEqual(["gateway.log"]);
    expect(await readFile(path, "utf8")).toContain("line 9");
  });
});
