import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type GatewayRuntimeState, runtimeStatePath } from "../gateway/runtime-state.js";
import { findRunningGateway, localGatewayToken, stopGateway } from "./daemon.js";

function isAlive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

describe.runIf(process.platform === "linux")("a gateway.json whose pid is another process", () => {
  let stateDir: string;
  let sleeper: ChildProcess;
  let stale: GatewayRuntimeState;

  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "openclaw-daemon-"));
    sleeper = spawn("sleep", ["60"], { stdio: "ignore" });
    await new Promise((resolve) => sleeper.once("spawn", resolve));
    // What a crashed gateway leaves behind once the kernel has given its pid to someone else.
    stale = {
      pid: sleeper.pid as number,
      url: "http://127.0.0.1:1",
      host: "127.0.0.1",
      port: 1,
      configPath: join(stateDir, "openclaw.json"),
      startedAt: 1,
      listeningAt: 2,
      version: "0.0.0",
    };
  });
  afterEach(async () => {
    sleeper.kill("SIGKILL");
    await rm(stateDir, { recursive: true, force: true });
  });

  it.each([
    ["without a recorded identity (an older gateway's file)", {}],
    ["with another process's start time", { process: { bootId: "x", startTicks: 1 } }],
  ])("is stale %s: reported, removed, and never running", async (_case, extra) => {
    await writeFile(runtimeStatePath(stateDir), JSON.stringify({ ...stale, ...extra }));
    const notes: string[] = [];
    expect(await findRunningGateway(stateDir, (note) => notes.push(note))).toBeUndefined();
    expect(notes).toEqual([
      expect.stringMatching(/removed stale .*gateway\.json: .*not the gateway that wrote it/),
    ]);
    await expect(readFile(runtimeStatePath(stateDir))).rejects.toThrow(/ENOENT/);
    expect(isAlive(sleeper)).toBe(true);
  });

  it("is never signalled by stop", async () => {
    expect(await stopGateway(stale, 200)).toBe("not-running");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isAlive(sleeper)).toBe(true);
  });

  it("reports a torn file as removed and starts clean", async () => {
    await writeFile(runtimeStatePath(stateDir), '{ "pid": 12');
    const notes: string[] = [];
    expect(await findRunningGateway(stateDir, (note) => notes.push(note))).toBeUndefined();
    expect(notes).toEqual([expect.stringContaining("not JSON")]);
  });
});

describe("cli-token", () => {
  it.each([
    ["empty", ""],
    ["torn", "Zk3q0_bV8x"],
    ["foreign", "hello world, this is not a token at all!!!!"],
  ])("gives no credential from a %s file", async (_what, content) => {
    const stateDir = await mkdtemp(join(tmpdir(), "openclaw-cli-token-"));
    try {
      await writeFile(join(stateDir, "cli-token"), content);
      expect(localGatewayToken(stateDir)).toBeUndefined();
      await writeFile(join(stateDir, "cli-token"), `${"a".repeat(43)}\n`);
      expect(localGatewayToken(stateDir)).toBe("a".repeat(43));
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
