import { mkdir, mkdtemp, open, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/index.js";
import {
  type RetentionPolicy,
  retentionPolicyOf,
  SessionRetention,
  sweepTranscripts,
} from "./session-retention.js";
import { sessionFileName, TranscriptStore } from "./transcript-store.js";

const DAY_MS = 24 * 60 * 60_000;
/** The injected clock: noon UTC, so that "today" is one date whatever the machine's zone. */
const NOW = Date.parse("2026-03-15T12:00:00.000Z");
const day = (offset: number) => new Date(NOW + offset * DAY_MS).toISOString().slice(0, 10);
const DEFAULTS = retentionPolicyOf(ConfigSchema.parse({}).sessions);

describe("session retention", () => {
  let stateDir: string;
  let directory: string;
  let store: TranscriptStore;

  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "openclaw-retention-"));
    directory = join(stateDir, "sessions");
    await mkdir(directory, { recursive: true });
    store = new TranscriptStore(stateDir);
  });
  afterEach(async () => {
    await store.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  /** A transcript file of `bytes`, last written `daysAgo` before the injected now. */
  const file = async (name: string, bytes: number, daysAgo = 0) => {
    const path = join(directory, name);
    await writeFile(path, `${"x".repeat(Math.max(0, bytes - 1))}\n`);
    const at = new Date(NOW - daysAgo * DAY_MS);
    await utimes(path, at, at);
  };
  const names = async () => (await readdir(directory)).sort();

  it("keeps 7 days of request transcripts and every session by default", async () => {
    expect(DEFAULTS).toEqual({
      sessions: { maxAgeDays: undefined, maxTotalMb: undefined },
      requests: { maxAgeDays: 7, maxTotalMb: 1024 },
    });
    for (let offset = -10; offset <= 0; offset++) await file(`requests-${day(offset)}.jsonl`, 100, -offset);
    await file(sessionFileName("agent:main:old-chat"), 100, 400);
    const sweep = await sweepTranscripts(store, DEFAULTS, NOW);
    expect(await names()).toEqual([
      sessionFileName("agent:main:old-chat"),
      ...Array.from({ length: 7 }, (_, index) => `requests-${day(index - 6)}.jsonl`),
    ]);
    expect(sweep).toMatchObject({ removedFiles: 4, removedBytes: 400, keptFiles: 8, keptBytes: 800 });
    // Oldest first, each with why.
    expect(sweep.removed.map((entry) => [entry.file, entry.reason])).toEqual(
      [-10, -9, -8, -7].map((offset) => [`requests-${day(offset)}.jsonl`, "age"]),
    );
  });

  it("deletes the oldest request days past the size bound, never today's", async () => {
    const policy: RetentionPolicy = {
      sessions: {},
      requests: { maxAgeDays: 30, maxTotalMb: 1000 / 1024 / 1024 },
    };
    await file(`requests-${day(-2)}.jsonl`, 600);
    await file(`requests-${day(-1)}.jsonl`, 600);
    await file(`requests-${day(0)}.jsonl`, 300);
    let sweep = await sweepTranscripts(store, policy, NOW);
    expect(await names()).toEqual([`requests-${day(-1)}.jsonl`, `requests-${day(0)}.jsonl`]);
    expect(sweep).toMatchObject({ removedFiles: 1, keptBytes: 900, overLimit: [] });
    expect(sweep.removed[0]).toMatchObject({ reason: "size" });

    // Today's file alone above the bound: kept, and said to be over it.
    await file(`requests-${day(0)}.jsonl`, 5000);
    sweep = await sweepTranscripts(store, policy, NOW);
    expect(await names()).toEqual([`requests-${day(0)}.jsonl`]);
    expect(sweep.overLimit).toEqual(["requests"]);
  });

  it("deletes sessions by age and by size, least recently written first, when configured", async () => {
    await file(sessionFileName("agent:main:a"), 400, 40);
    await file(sessionFileName("agent:main:b"), 400, 20);
    await file(sessionFileName("agent:main:c"), 400, 10);
    await file(sessionFileName("agent:main:d"), 400, 1);
    const policy: RetentionPolicy = {
      sessions: { maxAgeDays: 30, maxTotalMb: 900 / 1024 / 1024 },
      requests: DEFAULTS.requests,
    };
    const sweep = await sweepTranscripts(store, policy, NOW);
    expect(await names()).toEqual([sessionFileName("agent:main:c"), sessionFileName("agent:main:d")]);
    expect(sweep.removed.map((entry) => entry.reason)).toEqual(["age", "size"]);
  });

  it("leaves alone what is not a transcript", async () => {
    await file(".requests-2020-01-01.jsonl.1234.tmp", 10, 999);
    await file("notes.txt", 10, 999);
    await file("requests-latest.jsonl", 10, 999);
    await mkdir(join(directory, "agent:main:dir.jsonl"));
    const policy: RetentionPolicy = {
      sessions: { maxAgeDays: 1, maxTotalMb: 0.000001 },
      requests: DEFAULTS.requests,
    };
    await sweepTranscripts(store, policy, NOW);
    expect(await names()).toEqual([
      ".requests-2020-01-01.jsonl.1234.tmp",
      "agent:main:dir.jsonl",
      "notes.txt",
      "requests-latest.jsonl",
    ]);
  });

  it("never deletes a file being written", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // Appends that stay in flight until the test lets them through.
    const slow = new TranscriptStore(stateDir, {
      open: async (path, mode) => {
        const handle = await open(path, "a+", mode);
        return {
          write: async (buffer, offset, length) => {
            await gate;
            return handle.write(buffer, offset, length);
          },
          read: (buffer, offset, length, position) => handle.read(buffer, offset, length, position),
          truncate: (length) => handle.truncate(length),
          stat: () => handle.stat(),
          close: () => handle.close(),
        };
      },
    });
    const key = "agent:main:busy";
    await file(sessionFileName(key), 100, 100);
    const writing = slow.append(key, "main", "r1", [{ role: "user", content: "still here" }]);
    const sweep = await sweepTranscripts(
      slow,
      { sessions: { maxAgeDays: 1 }, requests: DEFAULTS.requests },
      NOW,
    );
    expect(sweep).toMatchObject({ removedFiles: 0, skippedBusy: 1 });
    release();
    await writing;
    expect((await slow.history(key)).map((message) => message.content)).toEqual(["still here"]);
    await slow.close();
  });

  it("closes an idle open handle before deleting, so the next append is not lost", async () => {
    const key = "agent:main:idle";
    await store.append(key, "main", "r1", [{ role: "user", content: "long ago" }]);
    const at = new Date(NOW - 100 * DAY_MS);
    await utimes(join(directory, sessionFileName(key)), at, at);
    const sweep = await sweepTranscripts(
      store,
      { sessions: { maxAgeDays: 30 }, requests: DEFAULTS.requests },
      NOW,
    );
    expect(sweep.removedFiles).toBe(1);
    await store.append(key, "main", "r2", [{ role: "user", content: "new start" }]);
    expect((await store.history(key)).map((message) => message.content)).toEqual(["new start"]);
  });

  it("sweeps at start and on every tick until stopped, reporting what it removed", async () => {
    const ticks: (() => void)[] = [];
    let stopped = false;
    let now = NOW;
    const retention = new SessionRetention(store, {
      policy: () => DEFAULTS,
      now: () => now,
      every: (callback) => {
        ticks.push(callback);
        return () => {
          stopped = true;
        };
      },
    });
    await file(`requests-${day(-8)}.jsonl`, 100);
    retention.start();
    await retention.sweepNow();
    expect(retention.lastSweep()).toMatchObject({ removedFiles: 1, at: new Date(NOW).toISOString() });

    // A week later, the day that was today is due.
    await file(`requests-${day(0)}.jsonl`, 100);
    now = NOW + 7 * DAY_MS;
    ticks[0]?.();
    await retention.sweepNow();
    expect(retention.lastSweep()).toMatchObject({
      removedFiles: 1,
      removed: [{ file: `requests-${day(0)}.jsonl` }],
    });
    await retention.stop();
    expect(stopped).toBe(true);
  });

  it("reports a sweep that fails instead of throwing", async () => {
    await rm(directory, { recursive: true });
    await writeFile(directory, "not a directory");
    const retention = new SessionRetention(store, {
      policy: () => DEFAULTS,
      now: () => NOW,
      every: () => () => {},
    });
    expect((await retention.sweepNow()).error).toMatch(/ENOTDIR/);
  });
});
