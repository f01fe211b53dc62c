import { createHash } from "node:crypto";
import { link, mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isOpenClawError } from "../errors.js";
import { ManualClock } from "../time/testing/manual-clock.js";
import type { LoadedConfig } from "./load.js";
import { replaceFile, waitFor } from "./testing/file-events.js";
import { ConfigWatcher, type ConfigWatcherOptions } from "./watch.js";

const DEBOUNCE_MS = 50;

/*
 * Every watcher here runs on a hand-driven clock: a reload happens when the test moves time, and
 * `advance` waits for the reload it started, so what a test sees does not depend on how fast the
 * machine is. A timer being set is how a test knows that a file event arrived. What proves that
 * an event was ignored is a witness: a second watcher on another file of the same directory,
 * whose event inotify delivers after the one before it.
 */
describe("ConfigWatcher", () => {
  let dir: string;
  let path: string;
  let clock: ManualClock;
  const watchers: ConfigWatcher[] = [];
  const changes: LoadedConfig[] = [];
  const errors: unknown[] = [];
  const ports = () => changes.map((loaded) => loaded.config.gateway.port);

  function watch(file: string, options: Partial<ConfigWatcherOptions> = {}, on = clock): ConfigWatcher {
    const watcher = new ConfigWatcher(file, {
      debounceMs: DEBOUNCE_MS,
      clock: on,
      onChange: (loaded) => changes.push(loaded),
      onError: (error) => errors.push(error),
      ...options,
    });
    watchers.push(watcher);
    return watcher;
  }

  /** Waits for the event of a write, then lets the debounce run out (and the reload finish). */
  async function settle(on = clock): Promise<void> {
    await waitFor(() => on.pendingTimers > 0);
    await on.advance(DEBOUNCE_MS);
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-watch-"));
    path = join(dir, "openclaw.json");
    clock = new ManualClock();
    changes.length = 0;
    errors.length = 0;
    await writeFile(path, `{ gateway: { port: 1000 } }`);
  });
  afterEach(async () => {
    for (const watcher of watchers.splice(0)) watcher.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("reloads a valid edit and reports an invalid one", async () => {
    watch(path);
    await writeFile(path, `{ gateway: { port: 1001 } }`);
    await settle();
    expect(ports()).toEqual([1001]);

    await writeFile(path, `{ agents: { beta: { thredBound: true } } }`);
    await settle();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "OC_ERR_CONFIG_INVALID" });
    expect(isOpenClawError(errors[0]) && errors[0].message).toContain("thredBound");
    expect(ports()).toEqual([1001]);
  });

  it("waits for a quiet debounce before reading", async () => {
    watch(path);
    await replaceFile(path, `{ gateway: { port: 1001 } }`);
    await waitFor(() => clock.pendingTimers > 0);
    await clock.advance(DEBOUNCE_MS - 1);
    expect(changes).toEqual([]);
    await clock.advance(1);
    expect(ports()).toEqual([1001]);
  });

  it("sees an editor's replace-by-rename and ignores saves that change nothing", async () => {
    watch(path);
    const temporary = join(dir, ".openclaw.json.swp");
    await writeFile(temporary, `{ gateway: { port: 1002 } }`);
    await rename(temporary, path);
    await settle();
    expect(ports()).toEqual([1002]);

    // The same bytes again: an event and a read, but nothing new to apply.
    await writeFile(path, `{ gateway: { port: 1002 } }`);
    await settle();
    expect(ports()).toEqual([1002]);
    expect(errors).toHaveLength(0);
  });

  it("ignores other files in the directory", async () => {
    watch(path);
    const witnessClock = new ManualClock();
    watch(join(dir, "witness.json"), {}, witnessClock);
    await writeFile(join(dir, "unrelated.txt"), "x");
    await replaceFile(join(dir, "witness.json"), `{ gateway: { port: 1009 } }`);
    await waitFor(() => witnessClock.pendingTimers > 0);
    expect(clock.timersSet).toBe(0);
  });

  it("keeps the running config when the file is removed, and stops after close()", async () => {
    const watcher = watch(path);
    await rm(path);
    await settle();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "OC_ERR_CONFIG_READ" });
    expect(changes).toEqual([]);

    watcher.close();
    expect(clock.pendingTimers).toBe(0);
    const witnessClock = new ManualClock();
    watch(path, {}, witnessClock);
    const setBefore = clock.timersSet;
    await writeFile(path, `{ gateway: { port: 1003 } }`);
    await settle(witnessClock);
    // The witness read the new file; the closed watcher did not even start a timer.
    expect(ports()).toEqual([1003]);
    expect(clock.timersSet).toBe(setBefore);
  });

  it("reports each version with the hash of the very bytes it was parsed from", async () => {
    watch(path);
    await writeFile(path, `{ gateway: { port: 1004 } }`);
    await settle();
    const bytes = await readFile(path);
    expect(changes[0]?.hash).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(ports()).toEqual([1004]);
  });

  it("reads a burst that never goes quiet within maxWaitMs, and ends on its last version", async () => {
    watch(path, { debounceMs: 100, maxWaitMs: 300 });
    let firstSeenAt: number | undefined;
    // A write every 40 ms of the clock for 1.2 s: never 100 ms of quiet.
    for (let port = 2000; port < 2030; port++) {
      const timersBefore = clock.timersSet;
      await writeFile(path, `{ gateway: { port: ${port} } }`);
      await waitFor(() => clock.timersSet > timersBefore);
      await clock.advance(40);
      if (firstSeenAt === undefined && changes.length > 0) firstSeenAt = clock.now();
    }
    expect(firstSeenAt, "nothing was read while the writes went on").toBeDefined();
    // The first event came at 0; its burst is read at 300 ms, seen at the next 40 ms step.
    expect(firstSeenAt).toBeLessThanOrEqual(300 + 40);
    // The last write's event may still be on its way: its reload reads the last version.
    while (ports().at(-1) !== 2029) await settle();
  });

  it("lets the last valid write win even when it comes without an event of its own", async () => {
    watch(path, { recheckDelaysMs: [100, 400, 1500] });
    // A torn write (an event, an invalid file), then the rest of the file written through a
    // hard link elsewhere, which the directory watch never sees: only a second look finds it.
    const elsewhere = join(dir, "elsewhere");
    await mkdir(elsewhere);
    await link(path, join(elsewhere, "same-inode.json"));
    await writeFile(join(elsewhere, "same-inode.json"), `{ gateway: { port: 10`);
    await writeFile(path, `{ gateway: { port: 10`, { flag: "r+" });
    await settle();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "OC_ERR_CONFIG_PARSE" });
    await writeFile(join(elsewhere, "same-inode.json"), `{ gateway: { port: 1005 } }`, { flag: "r+" });
    await clock.advance(100);
    expect(ports()).toEqual([1005]);
  });
});
