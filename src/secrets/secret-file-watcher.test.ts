import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replaceFile, waitFor } from "../config/testing/file-events.js";
import { ManualClock } from "../time/testing/manual-clock.js";
import { SecretFileWatcher } from "./secret-file-watcher.js";

const DEBOUNCE_MS = 30;

/*
 * The debounce runs on a hand-driven clock: a change is reported only when the test moves time,
 * so how fast the machine delivers the events cannot change the outcome. What proves that an
 * event was ignored is a later event in the same directory: inotify delivers a directory's
 * events in order, so once the later one has set a timer, the earlier one was handled.
 */
describe("SecretFileWatcher", () => {
  let dir: string;
  let clock: ManualClock;
  let watcher: SecretFileWatcher;
  let changes: string[];
  const path = (name: string) => join(dir, name);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-secret-watch-"));
    changes = [];
    clock = new ManualClock();
    watcher = new SecretFileWatcher({
      debounceMs: DEBOUNCE_MS,
      pollIntervalMs: 50,
      clock,
      onChange: (name) => changes.push(name),
    });
  });
  afterEach(async () => {
    watcher.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("ignores files it does not watch", async () => {
    await writeFile(path("a.key"), "1");
    await writeFile(path("witness.key"), "1");
    watcher.watch("a", path("a.key"));
    watcher.watch("witness", path("witness.key"));
    await writeFile(path("unrelated"), "x");
    await replaceFile(path("witness.key"), "2");
    await waitFor(() => clock.pendingTimers > 0);
    await clock.advance(DEBOUNCE_MS);
    expect(changes).toEqual(["witness"]);
  });

  it("reports an editor's write, write-temporary and rename as one change", async () => {
    await writeFile(path("a.key"), "1");
    await writeFile(path("witness.key"), "1");
    watcher.watch("a", path("a.key"));
    watcher.watch("witness", path("witness.key"));
    await writeFile(path("a.key"), "2");
    await writeFile(path(".a.key.tmp"), "3");
    await rename(path(".a.key.tmp"), path("a.key"));
    await replaceFile(path("witness.key"), "2");
    // Several events for a.key have arrived by now, each restarting its one debounce.
    await waitFor(() => clock.pendingTimers === 2);
    expect(clock.timersSet).toBeGreaterThan(2);
    await clock.advance(DEBOUNCE_MS);
    expect(changes).toEqual(["a", "witness"]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("does not report a change that falls inside the debounce", async () => {
    await writeFile(path("a.key"), "1");
    watcher.watch("a", path("a.key"));
    await replaceFile(path("a.key"), "2");
    await waitFor(() => clock.pendingTimers > 0);
    await clock.advance(DEBOUNCE_MS - 1);
    expect(changes).toEqual([]);
    await clock.advance(1);
    expect(changes).toEqual(["a"]);
  });

  it("stops reporting a file after unwatch", async () => {
    await writeFile(path("a.key"), "1");
    await writeFile(path("witness.key"), "1");
    watcher.watch("a", path("a.key"));
    watcher.watch("witness", path("witness.key"));
    watcher.unwatch("a");
    await writeFile(path("a.key"), "2");
    await replaceFile(path("witness.key"), "2");
    await waitFor(() => clock.pendingTimers > 0);
    await clock.advance(DEBOUNCE_MS);
    expect(changes).toEqual(["witness"]);
  });

  it("polls a file whose directory does not exist yet", async () => {
    const later = join(dir, "later");
    watcher.watch("b", join(later, "b.key"));
    await mkdir(later);
    await writeFile(join(later, "b.key"), "1");
    await waitFor(() => clock.pendingTimers > 0);
    await clock.advance(DEBOUNCE_MS);
    expect(changes).toEqual(["b"]);
  });
});
