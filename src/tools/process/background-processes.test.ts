import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHostCommandRunner } from "../workspace/host-runner.js";
import { BackgroundProcesses, DEFAULT_PROCESS_LIMITS } from "./background-processes.js";
import { OutputBuffer } from "./output-buffer.js";
import type { SessionProcesses } from "./session-processes.js";

let root: string;
let processes: BackgroundProcesses;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "openclaw-processes-"));
  // Unconfined here: the confined path is the e2e test's (it needs bubblewrap).
  processes = new BackgroundProcesses(createHostCommandRunner(root, { confinement: "unconfined" }), {
    ...DEFAULT_PROCESS_LIMITS,
    maxPerAgent: 2,
    outputChars: 100,
  });
});
afterEach(async () => {
  await processes.shutdown();
  await rm(root, { recursive: true, force: true });
});

const alive = (pid: number | undefined) => {
  try {
    process.kill(pid as number, 0);
    return true;
  } catch {
    return false;
  }
};

async function pollUntil(session: SessionProcesses, id: string, wanted: RegExp): Promise<string> {
  let seen = "";
  for (let attempt = 0; attempt < 100; attempt++) {
    const output = session.poll(id);
    seen += output.stdout;
    if (wanted.test(seen) || output.status !== "running") return seen;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return seen;
}

describe("BackgroundProcesses", () => {
  it("starts a process, polls its new output, takes stdin and kills it", async () => {
    const session = processes.forSession("s1");
    const started = await session.start("echo ready; read line; echo got $line; sleep 60", {});
    expect(await pollUntil(session, started.sessionId, /ready/)).toContain("ready");
    expect(session.poll(started.sessionId).stdout).toBe("");
    await session.write(started.sessionId, "hello\n");
    expect(await pollUntil(session, started.sessionId, /got hello/)).toContain("got hello");
    expect(alive(started.pid)).toBe(true);
    const killed = await session.kill(started.sessionId);
    expect(killed).toMatchObject({ status: "killed", killedBy: "requested" });
    expect(alive(started.pid)).toBe(false);
    expect(session.log(started.sessionId).stdout).toContain("ready");
  });

  it("reports the exit code of a process that ends", async () => {
    const session = processes.forSession("s1");
    const started = await session.start("exit 3", {});
    await pollUntil(session, started.sessionId, /never/);
    expect(session.poll(started.sessionId)).toMatchObject({ status: "exited", exitCode: 3 });
  });

  it("hides a session's processes from every other session", async () => {
    const started = await processes.forSession("s1").start("sleep 60", {});
    const other = processes.forSession("s2");
    expect(other.list()).toEqual([]);
    expect(() => other.poll(started.sessionId)).toThrow(/no background process/);
    await expect(other.kill(started.sessionId)).rejects.toThrow(/no background process/);
    expect(alive(started.pid)).toBe(true);
  });

  it("refuses a process over maxPerAgent, across sessions", async () => {
    await processes.forSession("s1").start("sleep 60", {});
    await processes.forSession("s2").start("sleep 60", {});
    await expect(processes.forSession("s3").start("sleep 60", {})).rejects.toThrow(/maxPerAgent/);
  });

  it("kills a session's processes when it ends, and a process at its timeout", async () => {
    const ending = await processes.forSession("s1").start("sleep 60", {});
    const kept = await processes.forSession("s2").start("sleep 60", { timeoutMs: 200 });
    await processes.endSession("s1");
    expect(alive(ending.pid)).toBe(false);
    expect(processes.forSession("s1").list()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(processes.forSession("s2").list()[0]).toMatchObject({ status: "killed", killedBy: "timeout" });
    expect(alive(kept.pid)).toBe(false);
  });

  it("refuses background processes without a runner that can start them (sandboxed)", async () => {
    await expect(new BackgroundProcesses(undefined).forSession("s").start("true", {})).rejects.toThrow(
      /not available.*Docker sandbox/,
    );
  });
});

describe("OutputBuffer", () => {
  it("keeps only the last characters and says how many a read missed", () => {
    const buffer = new OutputBuffer(5);
    buffer.add(Buffer.from("abcdefgh"));
    expect(buffer.readFrom(0)).toEqual({ text: "defgh", missed: 3 });
    expect(buffer.readFrom(buffer.end)).toEqual({ text: "", missed: 0 });
    expect(buffer.tail(2)).toBe("gh");
  });
});
