import { existsSync } from "node:fs";
import { mkdtemp, readFile, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHostCommandRunner } from "./host-runner.js";
import type { CommandRequest, CommandRunner } from "./workspace-types.js";

const CANARY_NAME = "OPENCLAW_TEST_CANARY_SECRET";
const CANARY_VALUE = "canary-value-must-not-reach-commands";

let root: string;
let runner: CommandRunner;
const startedPids: number[] = [];

beforeAll(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), "openclaw-host-runner-")));
  runner = createHostCommandRunner(root);
});
afterAll(() => rm(root, { recursive: true, force: true }));
afterEach(() => {
  // A failing test must not leave its sleeps behind.
  for (const pid of startedPids.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
  }
});

const run = (command: string, overrides: Partial<CommandRequest> = {}) =>
  runner.run({ command, timeoutMs: 10_000, maxOutputBytes: 64 * 1024, ...overrides });

/** Alive and not a zombie: an orphan can stay a zombie for a while if PID 1 is slow to reap it. */
async function isRunning(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!existsSync("/proc/self/stat")) return true;
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  return stat !== "" && !/\) Z /.test(stat);
}

async function stopsRunningWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!(await isRunning(pid))) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return !(await isRunning(pid));
}

function backgroundPid(stdout: string): number {
  const pid = Number(stdout.trim().split("\n")[0]);
  expect(Number.isSafeInteger(pid) && pid > 1).toBe(true);
  startedPids.push(pid);
  return pid;
}

describe("createHostCommandRunner", () => {
  it("gives commands only PATH, HOME and LANG: never the gateway's environment", async () => {
    process.env[CANARY_NAME] = CANARY_VALUE;
    try {
      const result = await run('echo "$HOME"; env');
      expect(result.exitCode).toBe(0);
      const [home, ...variables] = result.stdout.trim().split("\n");
      expect(home).toBe(root);
      const environment = Object.fromEntries(
        variables.map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
      );
      expect(environment).toMatchObject({
        PATH: "/usr/local/bin:/usr/bin:/bin",
        HOME: root,
        LANG: "C.UTF-8",
      });
      // The shell itself adds bookkeeping variables; nothing else may appear.
      const shellOwn = new Set(["PWD", "OLDPWD", "SHLVL", "_"]);
      const extra = Object.keys(environment).filter((name) => !["PATH", "HOME", "LANG"].includes(name));
      expect(extra.filter((name) => !shellOwn.has(name))).toEqual([]);
      expect(result.stdout).not.toContain(CANARY_VALUE);
      expect(result.stdout).not.toContain(CANARY_NAME);
    } finally {
      delete process.env[CANARY_NAME];
    }
  });

  it("runs in the workspace root and reports exit codes and stderr", async () => {
    await expect(run("pwd")).resolves.toMatchObject({ exitCode: 0, stdout: `${root}\n`, timedOut: false });
    await expect(run("echo oops >&2; exit 3")).resolves.toMatchObject({
      exitCode: 3,
      stdout: "",
      stderr: "oops\n",
      timedOut: false,
      truncated: false,
    });
    await expect(run("no-such-command-anywhere")).resolves.toMatchObject({ exitCode: 127 });
  });

  it("kills a command at its timeout within about a second", async () => {
    const started = Date.now();
    const result = await run("sleep 30", { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(1300);
    expect(result).toMatchObject({ exitCode: null, timedOut: true });
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
  });

  it("kills background children too, at the timeout", async () => {
    const result = await run("sleep 30 & echo $!; wait", { timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(await stopsRunningWithin(backgroundPid(result.stdout), 1000)).toBe(true);
  });

  it("kills background children left running when the shell exits", async () => {
    const started = Date.now();
    // This one holds stdout open: without the group kill, the run would wait for it.
    const holding = await run("sleep 30 & echo $!");
    const detached = await run("sleep 30 >/dev/null 2>&1 & echo $!");
    expect(Date.now() - started).toBeLessThan(2000);
    expect(holding).toMatchObject({ exitCode: 0, timedOut: false });
    expect(await stopsRunningWithin(backgroundPid(holding.stdout), 1000)).toBe(true);
    expect(await stopsRunningWithin(backgroundPid(detached.stdout), 1000)).toBe(true);
  });

  it("caps stdout and stderr separately, and keeps draining so the command finishes", async () => {
    const result = await run(
      "head -c 500000 /dev/zero | tr '\\0' a; head -c 3000 /dev/zero | tr '\\0' b >&2",
      {
        maxOutputBytes: 1000,
      },
    );
    expect(result).toMatchObject({ exitCode: 0, timedOut: false, truncated: true });
    expect(result.stdout).toBe("a".repeat(1000));
    expect(result.stderr).toBe("b".repeat(1000));
    const exact = await run("printf abc", { maxOutputBytes: 3 });
    expect(exact).toMatchObject({ stdout: "abc", truncated: false });
  });

  it("does not split a UTF-8 character at the cap", async () => {
    const result = await run("printf 'ééé'", { maxOutputBytes: 3 });
    expect(result).toMatchObject({ stdout: "é", truncated: true });
  });

  it("on abort, kills the whole group and rejects with the abort reason", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const running = run("sleep 30 & echo $! > background.pid; wait", { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("turn cancelled")), 300);
    await expect(running).rejects.toThrow("turn cancelled");
    expect(Date.now() - started).toBeLessThan(1500);
    const pid = backgroundPid(await readFile(join(root, "background.pid"), "utf8"));
    expect(await stopsRunningWithin(pid, 1000)).toBe(true);
    await expect(run("true", { signal: controller.signal })).rejects.toThrow("turn cancelled");
  });
});
