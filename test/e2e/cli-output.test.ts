import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_MAIN, REPO_ROOT, type TempHome, tempHome } from "./harness.js";

// `config schema` prints about 200 KiB, far past a pipe's 64 KiB buffer: whatever the reader has
// not taken yet is queued inside the process, and a command that exits without waiting for it
// hands its reader cut-off output.

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command whose stdout nobody reads for `readAfterMs`, then reads it all (or `firstChunkOnly`). */
function runWithSlowReader(
  args: string[],
  env: NodeJS.ProcessEnv,
  readAfterMs: number,
  firstChunkOnly = false,
) {
  return new Promise<Run>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { env, cwd: REPO_ROOT });
    child.stdout.pause();
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (data) => {
      stderr += data;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`openclaw ${args.join(" ")} did not end\n${stderr}`));
    }, 30_000);
    setTimeout(() => {
      child.stdout.on("data", (data) => {
        stdout += data;
        // The reader goes away after its first chunk, as `| head` does.
        if (firstChunkOnly) child.stdout.destroy();
      });
      child.stdout.resume();
    }, readAfterMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("CLI output to a pipe", () => {
  let home: TempHome;
  beforeAll(async () => {
    home = await tempHome();
  });
  afterAll(async () => {
    await home?.cleanup();
  });

  it("reaches a reader slower than the command, whole, before the command exits", async () => {
    const { code, stdout, stderr } = await runWithSlowReader(["config", "schema"], home.env, 500);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.length).toBeGreaterThan(64 * 1024);
    const schema = JSON.parse(stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(["gateway", "agents"]));
  });

  it("ends quietly, exit code 0, when the reader goes away early", async () => {
    const { code, stderr } = await runWithSlowReader(["config", "schema"], home.env, 200, true);
    expect(stderr).not.toContain("EPIPE");
    expect(code).toBe(0);
  });
});
