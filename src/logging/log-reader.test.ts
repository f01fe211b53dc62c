import { appendFileSync, renameSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { followLog, logFiles, matchesFilter, parseLogLine, readLogLines } from "./log-reader.js";
import { formatPretty } from "./pretty.js";

/** Waits for the follower's polls; the bound only matters when following is broken. */
async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("log reader", () => {
  let dir: string;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("lists rotated files oldest first and reads their lines in order", async () => {
    dir = await mkdtemp(join(tmpdir(), "oc-logs-"));
    const path = join(dir, "gateway.log");
    writeFileSync(`${path}.2`, "a\n");
    writeFileSync(`${path}.10`, "old\n");
    writeFileSync(`${path}.1`, "b\n");
    writeFileSync(path, "c\n");
    writeFileSync(`${path}.bak`, "not a rotation\n");
    expect(logFiles(path).map((file) => file.slice(dir.length + 1))).toEqual([
      "gateway.log.10",
      "gateway.log.2",
      "gateway.log.1",
      "gateway.log",
    ]);
    expect(readLogLines(path)).toEqual(["old", "a", "b", "c"]);
  });

  it("filters by level, agent, session, turn (with subagent turns) and time", () => {
    const line = {
      level: "info",
      time: "2026-11-25T10:00:00.000Z",
      agent: "main",
      session: "agent:main:x",
      turn: "t1",
    };
    expect(matchesFilter(line, { minLevel: 30, agent: "main", session: "agent:main:x", turn: "t1" })).toBe(
      true,
    );
    expect(matchesFilter(line, { minLevel: 40 })).toBe(false);
    expect(matchesFilter(line, { agent: "other" })).toBe(false);
    expect(matchesFilter(line, { turn: "t2" })).toBe(false);
    expect(matchesFilter({ ...line, turn: "child", parentTurn: "t1" }, { turn: "t1" })).toBe(true);
    expect(matchesFilter(line, { since: Date.parse("2026-11-25T10:00:01Z") })).toBe(false);
    expect(matchesFilter({ msg: "no time" }, { since: 0 })).toBe(false);
    expect(parseLogLine("Error: crash trace")).toBeUndefined();
    expect(parseLogLine('{"msg":"ok"}')).toEqual({ msg: "ok" });
  });

  it("formats a line for people with who, message and fields", () => {
    const text = formatPretty({
      level: "info",
      time: "2026-11-25T10:00:00.123Z",
      pid: 1,
      agent: "main",
      turn: "0123456789abcdef",
      session: "agent:main:x",
      msg: "tool call",
      tool: "read",
      note: "two words",
    });
    expect(text).toBe(
      '10:00:00.123 INFO  [main turn 01234567] tool call tool=read note="two words" session=agent:main:x',
    );
  });

  it("follows new lines across a rotation", async () => {
    dir = await mkdtemp(join(tmpdir(), "oc-follow-"));
    const path = join(dir, "gateway.log");
    writeFileSync(path, "before\n");
    const seen: string[] = [];
    const stop = new AbortController();
    const following = followLog(path, (line) => seen.push(line), stop.signal, 20);
    appendFileSync(path, "one\n");
    // A poll has read the file part-way before it is rotated.
    await waitFor(() => seen.length === 1);
    appendFileSync(path, "two");
    renameSync(path, `${path}.1`);
    appendFileSync(`${path}.1`, " halves\n");
    writeFileSync(path, "three\n");
    await waitFor(() => seen.length === 3);
    stop.abort();
    await following;
    expect(seen).toEqual(["one", "two halves", "three"]);
  });

  it("hands over what was written before the follow stopped", async () => {
    dir = await mkdtemp(join(tmpdir(), "oc-follow-"));
    const path = join(dir, "gateway.log");
    writeFileSync(path, "");
    const seen: string[] = [];
    const stop = new AbortController();
    // A poll interval no test waits out: only the final read on abort can see the line.
    const following = followLog(path, (line) => seen.push(line), stop.signal, 600_000);
    appendFileSync(path, "last words\n");
    stop.abort();
    await following;
    expect(seen).toEqual(["last words"]);
  });
});
