import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SecretFileWatcher } from "./secret-file-watcher.js";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await pause(10);
  }
}

describe("SecretFileWatcher", () => {
  let dir: string;
  let watcher: SecretFileWatcher;
  let changes: string[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-secret-watch-"));
    changes = [];
    watcher = new SecretFileWatcher({
      debounceMs: 30,
      pollIntervalMs: 50,
      onChange: (name) => changes.push(name),
    });
  });
  afterEach(async () => {
    watcher.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("reports one change per burst, only for the watched file's name", async () => {
    await writeFile(join(dir, "a.key"), "1");
    watcher.watch("a", join(dir, "a.key"));
    await writeFile(join(dir, "a.key"), "2");
    await writeFile(join(dir, ".a.key.tmp"), "3");
    await rename(join(dir, ".a.key.tmp"), join(dir, "a.key"));
    await writeFile(join(dir, "unrelated"), "x");
    await waitFor(() => changes.length > 0);
    await pause(100);
    expect(changes).toEqual(["a"]);
  });

  it("stops reporting a file after unwatch", async () => {
    await writeFile(join(dir, "a.key"), "1");
    watcher.watch("a", join(dir, "a.key"));
    watcher.unwatch("a");
    await writeFile(join(dir, "a.key"), "2");
    await pause(150);
    expect(changes).toEqual([]);
  });

  it("polls a file whose directory does not exist yet", async () => {
    const later = join(dir, "later");
    watcher.watch("b", join(later, "b.key"));
    await mkdir(later);
    await writeFile(join(later, "b.key"), "1");
    await waitFor(() => changes.includes("b"));
  });
});
