import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkGatewayProcess, isGatewayCommandLine, processIdentityOf } from "./process-identity.js";

const linux = process.platform === "linux";

function spawnAndWait(command: string, args: string[]): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: "ignore" });
  return new Promise((resolve, reject) => {
    child.once("spawn", () => resolve(child));
    child.once("error", reject);
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

describe("isGatewayCommandLine", () => {
  it.each([
    [["node", "/opt/openclaw/dist/cli/main.js", "gateway", "run"]],
    [["node", "/opt/openclaw/dist/bundle/main.js", "gateway", "run"]],
    [["node", "/usr/local/bin/openclaw", "gateway", "run", "--port", "0"]],
    [["/usr/bin/node", "/srv/openclaw/bin/openclaw.mjs", "--config", "x.json", "gateway", "run"]],
    [["node", "--import", "tsx", "src/cli/main.ts", "gateway", "run"]],
  ])("recognises our CLI's gateway run: %j", (argv) => {
    expect(isGatewayCommandLine(argv)).toBe(true);
  });

  it.each([
    [["sleep", "60"]],
    [["node", "/opt/openclaw/dist/cli/main.js", "gateway", "stop"]],
    [["node", "/opt/other/main.js", "gateway", "run"]],
    [["python3", "-m", "http.server"]],
    [["gateway", "run"]],
    [[]],
  ])("refuses anything else: %j", (argv) => {
    expect(isGatewayCommandLine(argv)).toBe(false);
  });
});

describe.runIf(linux)("checkGatewayProcess", () => {
  let dir: string;
  let sleeper: ChildProcess;
  let fakeGateway: ChildProcess;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-pid-"));
    await mkdir(join(dir, "cli"));
    // Stands in for dist/cli/main.js: a process whose command line is `node …/cli/main.js gateway run`.
    await writeFile(join(dir, "cli", "main.js"), "setInterval(() => {}, 1000);\n");
    sleeper = await spawnAndWait("sleep", ["60"]);
    fakeGateway = await spawnAndWait(process.execPath, [join(dir, "cli", "main.js"), "gateway", "run"]);
  });
  afterAll(async () => {
    sleeper.kill("SIGKILL");
    fakeGateway.kill("SIGKILL");
    await Promise.all([exited(sleeper), exited(fakeGateway)]);
    await rm(dir, { recursive: true, force: true });
  });

  it("trusts a pid that is our gateway, and only with its own start time", async () => {
    const pid = fakeGateway.pid as number;
    // Node has exec'd by the time /proc shows its arguments; wait for that rather than race it.
    await expect.poll(() => checkGatewayProcess(pid, undefined).kind).toBe("gateway");
    const identity = processIdentityOf(pid);
    expect(identity).toMatchObject({ bootId: expect.any(String), startTicks: expect.any(Number) });
    expect(checkGatewayProcess(pid, identity)).toEqual({ kind: "gateway" });
    const reused = { bootId: identity?.bootId as string, startTicks: (identity?.startTicks ?? 0) - 1 };
    expect(checkGatewayProcess(pid, reused)).toMatchObject({ kind: "other", reason: /started later/ });
    const beforeReboot = { bootId: "00000000-0000-0000-0000-000000000000", startTicks: reused.startTicks };
    expect(checkGatewayProcess(pid, beforeReboot)).toMatchObject({ kind: "other", reason: /reboot/ });
  });

  it("never takes an unrelated process for the gateway", () => {
    const pid = sleeper.pid as number;
    expect(checkGatewayProcess(pid, undefined)).toMatchObject({ kind: "other", reason: /runs "sleep 60"/ });
    // Even with its start time recorded (a foreign or hand-written gateway.json).
    expect(checkGatewayProcess(pid, processIdentityOf(pid))).toMatchObject({ kind: "other" });
    expect(checkGatewayProcess(process.pid, processIdentityOf(process.pid)).kind).toBe("other");
    expect(checkGatewayProcess(1, undefined).kind).toBe("other");
  });

  it("calls a pid that has exited gone", async () => {
    const child = await spawnAndWait("sleep", ["60"]);
    const pid = child.pid as number;
    child.kill("SIGKILL");
    await exited(child);
    expect(checkGatewayProcess(pid, undefined)).toEqual({ kind: "gone" });
  });
});
