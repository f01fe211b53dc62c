import { appendFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sessionFileName, TranscriptStore, validateSessionKey } from "./transcript-store.js";

describe("TranscriptStore", () => {
  let dir: string;
  let store: TranscriptStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "transcripts-"));
    store = new TranscriptStore(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

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

  it("skips a torn last line left by a crash", async () => {
    await store.append("s", "main", "r", [{ role: "user", content: "whole" }]);
    await appendFile(join(dir, "sessions", sessionFileName("s")), '{"type":"message","id":"x","ro');
    expect(await store.history("s")).toEqual([{ role: "user", content: "whole" }]);
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
