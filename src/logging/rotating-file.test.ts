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

  it("rotates past maxBytes, keeps maxFiles, and writes 0600 files", async () => {
    dir = await mkdtemp(join(tmpdir(), "oc-rotate-"));
    const path = join(dir, "logs", "gateway.log");
    const file = new RotatingFile(path, { maxBytes: 100, maxFiles: 2 });
    for (let index = 0; index < 20; index++)
      file.write(`${JSON.stringify({ index, pad: "x".repeat(20) })}\n`);
    file.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const names = (await readdir(join(dir, "logs"))).sort();
    expect(names).toEqual(["gateway.log", "gateway.log.1", "gateway.log.2"]);
    for (const name of names) {
      const info = await stat(join(dir, "logs", name));
      expect(info.size).toBeLessThanOrEqual(100);
      expect(info.mode & 0o777).toBe(0o600);
    }
    // The newest lines are in the active file, the ones before in .1: nothing in between lost.
    const active = (await readFile(path, "utf8")).trim().split("\n");
    const previous = (await readFile(`${path}.1`, "utf8")).trim().split("\n");
    const indexes = [...previous, ...active].map((line) => (JSON.parse(line) as { index: number }).index);
    expect(indexes.at(-1)).toBe(19);
    expect(indexes).toEqual(indexes.map((_, position) => (indexes[0] as number) + position));
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
