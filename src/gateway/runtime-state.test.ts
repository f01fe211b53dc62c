import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type GatewayRuntimeState,
  inspectRuntimeState,
  readRuntimeState,
  removeRuntimeState,
  runtimeStatePath,
  writeRuntimeState,
} from "./runtime-state.js";

const state = (pid: number): GatewayRuntimeState => ({
  pid,
  url: "http://127.0.0.1:18789",
  host: "127.0.0.1",
  port: 18789,
  configPath: "/etc/openclaw/openclaw.json",
  startedAt: 1,
  listeningAt: 2,
  version: "0.0.0",
});

describe("gateway.json", () => {
  let stateDir: string;
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "openclaw-runtime-"));
  });
  afterEach(() => rm(stateDir, { recursive: true, force: true }));

  it("records the writer's process identity (Linux), owner-only", async () => {
    await writeRuntimeState(stateDir, state(process.pid));
    const written = await readRuntimeState(stateDir);
    expect(written?.pid).toBe(process.pid);
    if (process.platform === "linux") {
      expect(written?.process).toEqual({ bootId: expect.any(String), startTicks: expect.any(Number) });
    }
    expect((await stat(runtimeStatePath(stateDir))).mode & 0o777).toBe(0o600);
  });

  it.each([
    ["empty", "", /empty/],
    ["NULs", "\0\0\0\0", /empty/],
    ["torn", '{ "pid": 4242, "url": "http://127.0', /not JSON/],
    ["foreign JSON", JSON.stringify({ name: "some-other-tool", version: 3 }), /not a gateway's state \(pid/],
    ["a pid that is no gateway's", JSON.stringify({ ...state(1) }), /not a gateway's state \(pid/],
    ["binary", "\u0089PNG\r\n\u001a\n", /not JSON/],
  ])(
    "calls a %s file invalid, with the reason, and never a raw parser message",
    async (_what, content, reason) => {
      await writeFile(runtimeStatePath(stateDir), content);
      const reading = await inspectRuntimeState(stateDir);
      expect(reading).toMatchObject({ kind: "invalid", reason: expect.stringMatching(reason) });
      expect(JSON.stringify(reading)).not.toMatch(/Unexpected|position \d/);
      expect(await readRuntimeState(stateDir)).toBeUndefined();
    },
  );

  it("removes only its own state, or a file that describes nobody", async () => {
    await writeRuntimeState(stateDir, state(4242));
    await removeRuntimeState(stateDir, process.pid);
    expect(await readRuntimeState(stateDir)).toMatchObject({ pid: 4242 });
    await writeFile(runtimeStatePath(stateDir), "{ torn");
    await removeRuntimeState(stateDir, process.pid);
    await expect(readFile(runtimeStatePath(stateDir))).rejects.toThrow(/ENOENT/);
  });
});
