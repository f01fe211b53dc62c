import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { errnoError } from "../append-only/testing/fake-disk.js";
import { OpenClawError } from "../errors.js";
import { StateDirHealth, type StateDirHealthSnapshot } from "./state-dir-health.js";
import { asStateWriteError } from "./state-write-error.js";
import { storageFailureOf } from "./write-failure.js";
import { probeStateDirWrite } from "./write-probe.js";

const until = async (check: () => boolean, timeoutMs = 2000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe("storage failures", () => {
  it("knows the errnos of a full, read-only or failing filesystem, through causes, and nothing else", () => {
    expect(storageFailureOf(errnoError("ENOSPC"))).toMatchObject({ code: "ENOSPC", spaceRelated: true });
    expect(storageFailureOf(errnoError("EDQUOT"))).toMatchObject({ code: "EDQUOT", spaceRelated: true });
    expect(storageFailureOf(errnoError("EROFS"))).toMatchObject({ code: "EROFS", spaceRelated: false });
    expect(storageFailureOf(errnoError("EIO"))).toMatchObject({ code: "EIO", spaceRelated: false });
    const sqlite = Object.assign(new Error("database or disk is full"), {
      code: "ERR_SQLITE_ERROR",
      errcode: 13,
    });
    expect(
      storageFailureOf(new OpenClawError("OC_ERR_MEMORY", "write failed", { cause: sqlite })),
    ).toMatchObject({
      code: "SQLITE_FULL",
    });
    for (const other of [errnoError("EACCES"), errnoError("ENOENT"), new Error("boom"), "text", undefined]) {
      expect(storageFailureOf(other)).toBeUndefined();
    }
  });

  it("turns a full disk into 507 OC_ERR_DISK_FULL saying where and what to do, and leaves other errors alone", () => {
    const error = asStateWriteError(errnoError("ENOSPC"), {
      stateDir: "/srv/state",
      path: "/srv/state/sessions/a.jsonl",
    });
    expect(error).toBeInstanceOf(OpenClawError);
    const failure = error as OpenClawError;
    expect(failure.code).toBe("OC_ERR_DISK_FULL");
    expect(failure.spec.status).toBe(507);
    expect(failure.message).toContain("/srv/state/sessions/a.jsonl");
    expect(failure.message).toContain("nothing was saved");
    expect(failure.hint).toContain("free space on the filesystem holding /srv/state");
    expect(failure.hint).toContain("openclaw doctor");
    expect((asStateWriteError(errnoError("EROFS"), { stateDir: "/s" }) as OpenClawError).code).toBe(
      "OC_ERR_STATE_UNWRITABLE",
    );
    const other = errnoError("EACCES");
    expect(asStateWriteError(other, { stateDir: "/s" })).toBe(other);
  });
});

describe("StateDirHealth", () => {
  let health: StateDirHealth | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    health?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("is unwritable from the first storage failure: since when, why, who, which file; told once", () => {
    const changes: StateDirHealthSnapshot[] = [];
    let now = 1_000;
    health = new StateDirHealth("/srv/state", {
      now: () => now,
      probe: () => new Promise(() => undefined),
      onChange: (snapshot) => changes.push(snapshot),
    });
    expect(health.writable).toBe(true);
    expect(() => health?.assertWritable()).not.toThrow();
    expect(health.writeFailed("transcripts", errnoError("EACCES"))).toBeUndefined();
    expect(health.writable).toBe(true);
    health.writeFailed("transcripts", errnoError("ENOSPC"), "/srv/state/sessions/a.jsonl");
    now = 2_000;
    health.writeFailed("logs", errnoError("ENOSPC"), "/srv/state/logs/gateway.log");
    expect(health.snapshot()).toMatchObject({
      writable: false,
      failingSince: new Date(1_000).toISOString(),
      code: "ENOSPC",
      reason: "no space left on device",
      writer: "logs",
      file: "/srv/state/logs/gateway.log",
      failingWriters: ["transcripts", "logs"],
      failures: 2,
    });
    expect(changes.map((change) => change.writable)).toEqual([false]);
    expect(() => health?.assertWritable()).toThrow(
      expect.objectContaining({
        code: "OC_ERR_DISK_FULL",
        message: expect.stringContaining("refused before it ran"),
      }),
    );
  });

  it("clears a writer on its next success, and is writable when none still fails", () => {
    const changes: boolean[] = [];
    health = new StateDirHealth("/s", {
      probe: () => new Promise(() => undefined),
      onChange: (snapshot) => changes.push(snapshot.writable),
    });
    health.writeFailed("transcripts", errnoError("ENOSPC"));
    health.writeFailed("usage", errnoError("ENOSPC"));
    health.writeSucceeded("transcripts");
    expect(health.writable).toBe(false);
    health.writeSucceeded("usage");
    expect(health.writable).toBe(true);
    expect(health.snapshot()).toMatchObject({
      writable: true,
      failingWriters: [],
      recoveredAt: expect.any(String),
    });
    expect(changes).toEqual([false, true]);
  });

  it("recovers by itself: a probe write every interval, until one succeeds", async () => {
    let attempts = 0;
    let full = true;
    health = new StateDirHealth("/s", {
      probeIntervalMs: 10,
      probe: async () => {
        attempts++;
        if (full) throw errnoError("ENOSPC");
      },
    });
    health.writeFailed("logs", errnoError("ENOSPC"));
    await until(() => attempts >= 3);
    expect(health.writable).toBe(false);
    full = false;
    await until(() => health?.writable === true);
    const settled = attempts;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(attempts).toBe(settled); // no probing while writes work
  });

  it("probes with a real small write that leaves nothing behind", async () => {
    dir = await mkdtemp(join(tmpdir(), "probe-"));
    await probeStateDirWrite(dir);
    expect(await readdir(dir)).toEqual([]);
    await expect(probeStateDirWrite(join(dir, "missing"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
