import { createHash } from "node:crypto";
import { link, mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isOpenClawError } from "../errors.js";
import type { LoadedConfig } from "./load.js";
import { ConfigWatcher } from "./watch.js";

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("ConfigWatcher", () => {
  let dir: string;
  let path: string;
  let watcher: ConfigWatcher | undefined;
  const changes: LoadedConfig[] = [];
  const errors: unknown[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-watch-"));
    path = join(dir, "openclaw.json");
    changes.length = 0;
    errors.length = 0;
    await writeFile(path, `{ gateway: { port: 1000 } }`);
    watcher = new ConfigWatcher(path, {
      debounceMs: 50,
      onChange: (loaded) => changes.push(loaded),
      onError: (error) => errors.push(error),
    });
  });
  afterEach(async () => {
    watcher?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("reloads a valid edit and reports an invalid one", async () => {
    await writeFile(path, `{ gateway: { port: 1001 } }`);
    await waitFor(() => changes.length === 1);
    expect(changes[0]?.config.gateway.port).toBe(1001);

    await writeFile(path, `{ agents: { beta: { thredBound: true } } }`);
    await waitFor(() => errors.length === 1);
    expect(errors[0]).toMatchObject({ code: "OC_ERR_CONFIG_INVALID" });
    expect(isOpenClawError(errors[0]) && errors[0].message).toContain("thredBound");
    expect(changes).toHaveLength(1);
  });

  it("sees an editor's replace-by-rename and ignores saves that change nothing", async () => {
    const temporary = join(dir, ".openclaw.json.swp");
    await writeFile(temporary, `{ gateway: { port: 1002 } }`);
    await rename(temporary, path);
    await waitFor(() => changes.length === 1);
    expect(changes[0]?.config.gateway.port).toBe(1002);

    await writeFile(path, `{ gateway: { port: 1002 } }`);
    await writeFile(join(dir, "unrelated.txt"), "x");
    await pause(300);
    expect(changes).toHaveLength(1);
    expect(errors).toHaveLength(0);
  });

  it("keeps the running config when the file is removed, and stops after close()", async () => {
    await rm(path);
    await waitFor(() => errors.length === 1);
    expect(errors[0]).toMatchObject({ code: "OC_ERR_CONFIG_READ" });
    watcher?.close();
    await writeFile(path, `{ gateway: { port: 1003 } }`);
    await pause(300);
    expect(changes).toHaveLength(0);
  });

  it("reports each version with the hash of the very bytes it was parsed from", async () => {
    await writeFile(path, `{ gateway: { port: 1004 } }`);
    await waitFor(() => changes.length === 1);
    const bytes = await readFile(path);
    expect(changes[0]?.hash).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(changes[0]?.config.gateway.port).toBe(1004);
  });

  it("reads a burst that never goes quiet within maxWaitMs, and ends on its last version", async () => {
    watcher?.close();
    watcher = new ConfigWatcher(path, {
      debounceMs: 100,
      maxWaitMs: 300,
      onChange: (loaded) => changes.push(loaded),
      onError: (error) => errors.push(error),
    });
    const startedAt = Date.now();
    let firstSeenAt: number | undefined;
    // A write every 40 ms for 1.2 s: never 100 ms of quiet.
    for (let port = 2000; port < 2030; port++) {
      await writeFile(path, `{ gateway: { port: ${port} } }`);
      if (firstSeenAt === undefined && changes.length > 0) firstSeenAt = Date.now();
      await pause(40);
    }
    expect(firstSeenAt, "nothing was read while the writes went on").toBeDefined();
    expect((firstSeenAt as number) - startedAt).toBeLessThan(1000);
    await waitFor(() => changes.at(-1)?.config.gateway.port === 2029);
  });

  it("lets the last valid write win even when it comes without an event of its own", async () => {
    // A torn write (an event, an invalid file), then the rest of the file written through a
    // hard link elsewhere, which the directory watch never sees: only a second look finds it.
    const elsewhere = join(dir, "elsewhere");
    await mkdir(elsewhere);
    await link(path, join(elsewhere, "same-inode.json"));
    await writeFile(join(elsewhere, "same-inode.json"), `{ gateway: { port: 10`);
    await writeFile(path, `{ gateway: { port: 10`, { flag: "r+" });
    await waitFor(() => errors.length >= 1);
    await writeFile(join(elsewhere, "same-inode.json"), `{ gateway: { port: 1005 } }`, { flag: "r+" });
    await waitFor(() => changes.at(-1)?.config.gateway.port === 1005, 4000);
    expect(errors[0]).toMatchObject({ code: "OC_ERR_CONFIG_PARSE" });
  });
});
