import { appendFile, mkdtemp, readdir, readFile, rm, stat, truncate } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DamageReport } from "../append-only/index.js";
import { FakeDisk } from "../append-only/testing/fake-disk.js";
import { StateDirHealth } from "../state-dir-health/index.js";
import { MemoryLocation, MemoryTranscriptRepository } from "../storage/memory/index.js";
import { sessionFileName, TranscriptStore, validateSessionKey } from "./transcript-store.js";

describe("TranscriptStore", () => {
  let dir: string;
  let store: TranscriptStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "transcripts-"));
    store = new TranscriptStore(dir);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("appends and reads back messages in order, across store instances", async () => {
    await store.append("agent:main:a", "main", "r1", [{ role: "user", content: "hi" }]);
    await store.append("agent:main:a", "main", "r1", [{ role: "assistant", content: "hello" }], {
      inputTokens: 1,
      outputTokens: 2,
    });
    const reopened = new TranscriptStore(dir);
    expect(await reopened.history("agent:main:a")).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello" },
    ]);
    expect((await reopened.read("agent:main:a"))[1]?.usage).toEqual({ inputTokens: 1, outputTokens: 2 });
  });

  it("keeps concurrent appends to one session whole and ordered", async () => {
    await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        store.append("s", "main", `r${index}`, [{ role: "user", content: `m${index}` }]),
      ),
    );
    const contents = (await store.history("s")).map((message) => message.content);
    expect(contents).toEqual(Array.from({ length: 50 }, (_, index) => `m${index}`));
  });

  it("skips a torn last line left by a crash, and does not glue the next append to it", async () => {
    await store.append("s", "main", "r", [{ role: "user", content: "whole" }]);
    await appendFile(join(dir, "sessions", sessionFileName("s")), '{"type":"message","id":"x","ro');
    expect(await store.history("s")).toEqual([{ role: "user", content: "whole" }]);
    await store.append("s", "main", "r2", [{ role: "user", content: "next" }]);
    expect((await store.history("s")).map((message) => message.content)).toEqual(["whole", "next"]);
  });

  it("after a restart on a transcript cut mid-line: reports the torn line, keeps the message just sent", async () => {
    await store.append("s", "main", "r1", [{ role: "user", content: "first" }]);
    await store.append("s", "main", "r1", [{ role: "assistant", content: "an answer cut by a kill" }]);
    await store.close();
    const path = join(dir, "sessions", sessionFileName("s"));
    await truncate(path, (await stat(path)).size - 20);
    const reports: DamageReport[] = [];
    const cuts: number[] = [];
    const restarted = new TranscriptStore(dir, {
      onDamagedLines: (report) => reports.push(report),
      onRepaired: (_, cutBytes) => cuts.push(cutBytes),
    });
    expect((await restarted.history("s")).map((message) => message.content)).toEqual(["first"]);
    expect(reports).toEqual([{ file: path, count: 1, lines: [{ line: 2, kind: "torn" }] }]);
    await restarted.append("s", "main", "r2", [{ role: "user", content: "acknowledged" }]);
    expect((await restarted.history("s")).map((message) => message.content)).toEqual([
      "first",
      "acknowledged",
    ]);
    expect(cuts).toHaveLength(1);
    expect((await readFile(path, "utf8")).endsWith("\n")).toBe(true);
    expect(reports).toHaveLength(1); // the cut line is gone: nothing more to report
    await restarted.close();
  });

  it("reports unreadable lines once, by file and line, and returns the good entries", async () => {
    await store.append("s", "main", "r", [{ role: "user", content: "one" }]);
    const path = join(dir, "sessions", sessionFileName("s"));
    await appendFile(path, 'not json\n{"type":"message","sessionKey":"s","role":"user"}\n');
    await store.append("s", "main", "r", [{ role: "user", content: "two" }]);
    const reports: DamageReport[] = [];
    const reader = new TranscriptStore(dir, { onDamagedLines: (report) => reports.push(report) });
    expect((await reader.history("s")).map((message) => message.content)).toEqual(["one", "two"]);
    await reader.history("s");
    await reader.close();
    expect(reports).toEqual([
      {
        file: path,
        count: 2,
        lines: [
          { line: 2, kind: "unparsable" },
          { line: 3, kind: "unexpected" },
        ],
      },
    ]);
  });

  it("answers a full disk with OC_ERR_DISK_FULL, keeps nothing of the refused batch, and recovers", async () => {
    const disk = new FakeDisk();
    const health = new StateDirHealth(dir, { probe: () => new Promise(() => undefined) });
    const full = new TranscriptStore(dir, { open: disk.open, health });
    await full.append("s", "main", "r1", [{ role: "user", content: "saved" }]);
    disk.free = 30;
    const refused = Promise.all([
      full.append("s", "main", "r2", [{ role: "user", content: "refused one" }]),
      full.append("s", "main", "r3", [{ role: "user", content: "refused two" }]),
    ]);
    await expect(refused).rejects.toMatchObject({
      code: "OC_ERR_DISK_FULL",
      hint: expect.stringContaining(dir),
      details: expect.objectContaining({
        errno: "ENOSPC",
        path: join(dir, "sessions", sessionFileName("s")),
      }),
    });
    expect(health.snapshot()).toMatchObject({ writable: false, writer: "transcripts", code: "ENOSPC" });
    expect((await full.history("s")).map((message) => message.content)).toEqual(["saved"]);
    disk.free = undefined;
    await full.append("s", "main", "r4", [{ role: "user", content: "after" }]);
    expect(health.writable).toBe(true);
    expect((await full.history("s")).map((message) => message.content)).toEqual(["saved", "after"]);
    health.close();
    await full.close();
  });

  it("lists sessions with counts and agents, newest first", async () => {
    await store.append("one", "main", "r", [{ role: "user", content: "a" }]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.append("two", "research", "r", [
      { role: "user", content: "b" },
      { role: "assistant", content: "c" },
    ]);
    const sessions = await store.list();
    expect(sessions.map(({ key, agentId, messageCount }) => ({ key, agentId, messageCount }))).toEqual([
      { key: "two", agentId: "research", messageCount: 2 },
      { key: "one", agentId: "main", messageCount: 1 },
    ]);
  });

  it("never lets a session key name a path outside the sessions directory", async () => {
    for (const key of ["../../etc/passwd", "a/b", ".hidden", "..", "x\u0000y"]) {
      const name = sessionFileName(key);
      expect(name).not.toContain("/");
      expect(name.startsWith(".")).toBe(false);
      await store.append(key, "main", "r", [{ role: "user", content: key }]);
      expect((await store.history(key))[0]?.content).toBe(key);
    }
    expect((await readdir(join(dir, "sessions"))).length).toBe(5);
    expect((await store.list()).map((session) => session.key).sort()).toEqual(
      ["../../etc/passwd", "a/b", ".hidden", "..", "x\u0000y"].sort(),
    );
  });

  it("validates session keys", () => {
    expect(() => validateSessionKey("")).toThrow(/non-empty/);
    expect(() => validateSessionKey("x".repeat(513))).toThrow(/longer than 512/);
    expect(validateSessionKey("agent:main:main")).toBe("agent:main:main");
  });
});

describe("TranscriptStore over any repository", () => {
  it("builds masked entries for the repository and tells each damage it reports once", async () => {
    const repository = new MemoryTranscriptRepository(new MemoryLocation());
    const damage: DamageReport = { file: "memory", count: 1, lines: [{ line: 3, kind: "torn" }] };
    const read = repository.read.bind(repository);
    repository.read = async (sessionKey) => ({ ...(await read(sessionKey)), damage });
    const reports: DamageReport[] = [];
    const store = new TranscriptStore(repository, {
      redact: <T>(value: T) => JSON.parse(JSON.stringify(value).replaceAll("sk-secret", "***")) as T,
      onDamagedLines: (report) => reports.push(report),
    });
    const [entry] = await store.append("s", "main", "r1", [{ role: "user", content: "key sk-secret" }], {
      inputTokens: 1,
      outputTokens: 2,
    });
    expect(entry).toMatchObject({
      type: "message",
      sessionKey: "s",
      agentId: "main",
      runId: "r1",
      content: "key ***",
    });
    expect(await store.history("s")).toEqual([{ role: "user", content: "key ***" }]);
    await store.read("s");
    expect(reports).toEqual([damage]);
    expect(store.repository).toBe(repository);
  });
});
