import { mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConfinement } from "../../confinement/index.js";
import { isOpenClawError } from "../../errors.js";
import { createHostCommandRunner, type HostRunnerOptions } from "./host-runner.js";
import type { CommandRequest, CommandRunner } from "./workspace-types.js";

const CANARY_NAME = "OPENCLAW_TEST_CANARY_SECRET";
const CANARY_VALUE = "canary-value-must-not-reach-commands";

let root: string;
beforeAll(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), "openclaw-host-runner-")));
});
afterAll(() => rm(root, { recursive: true, force: true }));

let sleepCount = 0;
/** A `sleep` argument no other process has (sleep takes fractional seconds), to find it in /proc. */
function uniqueSleep(): string {
  sleepCount += 1;
  return `30.${process.pid}${String(sleepCount).padStart(3, "0")}`;
}

/** Host processes running `sleep <argument>`, not zombies: pids inside a sandbox mean nothing here. */
async function sleepsRunning(argument: string): Promise<number> {
  let count = 0;
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, "utf8").catch(() => "");
    if (!cmdline.split("\0").includes(argument) || !cmdline.includes("sleep")) continue;
    const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => "");
    if (stat !== "" && !/\) Z /.test(stat)) count += 1;
  }
  return count;
}

async function noSleepsWithin(argument: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if ((await sleepsRunning(argument)) === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return (await sleepsRunning(argument)) === 0;
}

const MODES: [string, HostRunnerOptions][] = [
  ["confined by bubblewrap", { confinement: "bubblewrap" }],
  ["unconfined", { confinement: "unconfined" }],
];

describe.each(MODES)("createHostCommandRunner, %s", (_, options) => {
  let runner: CommandRunner;
  beforeAll(() => {
    runner = createHostCommandRunner(root, options);
  });
  const run = (command: string, overrides: Partial<CommandRequest> = {}) =>
    runner.run({ command, timeoutMs: 10_000, maxOutputBytes: 64 * 1024, ...overrides });

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
    const argument = uniqueSleep();
    const result = await run(`sleep ${argument} & wait`, { timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(await noSleepsWithin(argument, 1000)).toBe(true);
  });

  it("kills background children left running when the shell exits", async () => {
    const started = Date.now();
    const holdingArgument = uniqueSleep();
    const detachedArgument = uniqueSleep();
    // This one holds stdout open: without the kill, the run would wait for it.
    const holding = await run(`sleep ${holdingArgument} & echo started`);
    const detached = await run(`sleep ${detachedArgument} >/dev/null 2>&1 & echo started`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(holding).toMatchObject({ exitCode: 0, timedOut: false });
    expect(detached).toMatchObject({ exitCode: 0, timedOut: false });
    expect(await noSleepsWithin(holdingArgument, 1000)).toBe(true);
    expect(await noSleepsWithin(detachedArgument, 1000)).toBe(true);
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

  it("on abort, kills everything and rejects with the abort reason", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const argument = uniqueSleep();
    const running = run(`sleep ${argument} & wait`, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("turn cancelled")), 300);
    await expect(running).rejects.toThrow("turn cancelled");
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await noSleepsWithin(argument, 1000)).toBe(true);
    await expect(run("true", { signal: controller.signal })).rejects.toThrow("turn cancelled");
  });
});

describe("createHostCommandRunner, confined", () => {
  const run = (runner: CommandRunner, command: string) =>
    runner.run({ command, timeoutMs: 10_000, maxOutputBytes: 64 * 1024 });

  it("kills what left the session with setsid, which only the pid namespace can", async () => {
    const argument = uniqueSleep();
    const result = await run(
      createHostCommandRunner(root),
      `setsid sleep ${argument} >/dev/null 2>&1 < /dev/null & echo started`,
    );
    expect(result.stdout).toBe("started\n");
    expect(await noSleepsWithin(argument, 1000)).toBe(true);
  });

  it("hides what it is told to, inside the workspace too, and writes only the workspace", async () => {
    const outside = await realpath(await mkdtemp(join("/var/tmp", "openclaw-host-runner-hidden-")));
    try {
      await writeFile(join(outside, "secret.txt"), "outside-canary-6f1c\n");
      await mkdir(join(root, "keys"), { recursive: true });
      await writeFile(join(root, "keys", "inside.key"), "inside-canary-9b2e\n");
      const runner = createHostCommandRunner(root, { hidden: [outside, join(root, "keys", "inside.key")] });
      const result = await run(
        runner,
        `cat ${outside}/secret.txt keys/inside.key; ls ${outside} keys; ` +
          `echo made > made.txt && echo wrote; touch ${outside}/x 2>/dev/null || echo refused; ` +
          "ls /proc | grep -c '^[0-9]'",
      );
      expect(result.stdout + result.stderr).not.toContain("canary");
      expect(result.stdout).toContain("wrote");
      expect(result.stdout).toContain("refused");
      // Its own shell and the pipeline: nothing of the host's processes.
      expect(Number(result.stdout.trim().split("\n").at(-1))).toBeLessThan(8);
      expect(await readFile(join(root, "made.txt"), "utf8")).toBe("made\n");
    } finally {
      await rm(outside, { recursive: true, force: true });
      await rm(join(root, "keys"), { recursive: true, force: true });
    }
  });

  it("has no network unless the policy allows it", async () => {
    const confined = await run(
      createHostCommandRunner(root),
      "ls /sys/class/net; cat /proc/net/dev | grep -c :",
    );
    expect(confined.stdout.trim().split("\n").at(-1)).toBe("1");
  });

  it("refuses to run, with the fix, when bubblewrap is missing: never falls back to the host", async () => {
    const runner = createHostCommandRunner(root, {
      bubblewrap: createConfinement({ bwrapPath: join(root, "no-such-bwrap") }),
    });
    const error = await run(runner, "echo ran > ran.txt").then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(isOpenClawError(error) && error.code).toBe("OC_ERR_CONFINEMENT_UNAVAILABLE");
    expect(isOpenClawError(error) && error.describe()).toContain("apt-get install bubblewrap");
    await expect(readFile(join(root, "ran.txt"))).rejects.toThrow(/ENOENT/);
  });
});
