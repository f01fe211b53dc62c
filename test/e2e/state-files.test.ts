import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, startGateway, type TempHome, tempHome } from "./harness.js";

/**
 * The files a gateway reads at start may be empty, torn or foreign (a crash mid-write, another
 * program, a pid the kernel handed on): each gets a clear refusal or a safe recovery.
 */

const TOKEN_MODE = { gateway: { auth: { mode: "token" } } };
const GENERATED_TOKEN = /^[A-Za-z0-9_-]{43}$/;

const homes: TempHome[] = [];
async function home(config: unknown = {}): Promise<TempHome> {
  const created = await tempHome(config);
  await mkdir(created.stateDir, { recursive: true, mode: 0o700 });
  homes.push(created);
  return created;
}
afterEach(async () => {
  for (const each of homes.splice(0)) {
    await runCli(["gateway", "stop"], each.env);
    await each.cleanup();
  }
});

async function status(url: string, token: string): Promise<number> {
  const response = await fetch(`${url}/__openclaw__/status`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return response.status;
}

describe("gateway-token", () => {
  it("replaces an empty token file with a token it saves, prints and accepts, across restarts", async () => {
    const dir = await home(TOKEN_MODE);
    const tokenPath = join(dir.stateDir, "gateway-token");
    await writeFile(tokenPath, "", { mode: 0o600 });
    const gateway = await startGateway(dir);
    expect(gateway.output()).toMatch(/gateway token file was empty/);
    const saved = (await readFile(tokenPath, "utf8")).trim();
    expect(saved).toMatch(GENERATED_TOKEN);

    const printed = await runCli(["gateway", "token"], dir.env);
    expect(printed.code).toBe(0);
    expect(printed.stdout.trim()).toBe(saved);
    expect(await status(gateway.url, saved)).toBe(200);
    expect(await status(gateway.url, "x".repeat(43))).toBe(401);

    const doctor = await runCli(["doctor", "--json"], dir.env);
    const checks = JSON.parse(doctor.stdout) as { id: string; status: string }[];
    expect(checks.find((check) => check.id === "gateway-token")?.status).toBe("ok");

    // A file changed under the running gateway: the CLI will not print a token it refuses.
    await writeFile(tokenPath, `${"b".repeat(43)}\n`, { mode: 0o600 });
    const stale = await runCli(["gateway", "token"], dir.env);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("no longer holds the token the running gateway");
    await writeFile(tokenPath, `${saved}\n`, { mode: 0o600 });

    await gateway.stop();
    const again = await startGateway(dir);
    expect((await readFile(tokenPath, "utf8")).trim()).toBe(saved);
    expect(await status(again.url, saved)).toBe(200);
    await again.stop();
  }, 60_000);

  it("refuses a malformed token file, naming it and the fix, and leaves it as it was", async () => {
    const dir = await home(TOKEN_MODE);
    const tokenPath = join(dir.stateDir, "gateway-token");
    await writeFile(tokenPath, "Zk3q0_bV8x1-", { mode: 0o600 });
    const run = await runCli(["gateway", "run", "--port", "0"], dir.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`gateway token file ${tokenPath} does not hold a token`);
    expect(run.stderr).toContain(`rm ${tokenPath}`);
    expect(await readFile(tokenPath, "utf8")).toBe("Zk3q0_bV8x1-");

    const doctor = await runCli(["doctor", "--json"], dir.env);
    const finding = (JSON.parse(doctor.stdout) as { id: string; status: string; summary: string }[]).find(
      (check) => check.id === "gateway-token",
    );
    expect(finding).toMatchObject({ status: "fail", summary: expect.stringContaining("43 characters") });
    const printed = await runCli(["gateway", "token"], dir.env);
    expect(printed.code).toBe(1);
    expect(printed.stderr).toContain("does not hold a token");
  }, 60_000);
});

describe("gateway.json with a stale pid", () => {
  let sleeper: ChildProcess | undefined;
  afterEach(() => {
    sleeper?.kill("SIGKILL");
  });

  it("is neither running nor signalled, and does not keep a gateway from starting", async () => {
    const dir = await home();
    sleeper = spawn("sleep", ["60"], { stdio: "ignore" });
    await new Promise((resolve) => sleeper?.once("spawn", resolve));
    const stalePath = join(dir.stateDir, "gateway.json");
    // A crashed gateway's file, its pid since given to an unrelated process.
    const writeStale = () =>
      writeFile(
        stalePath,
        JSON.stringify({
          pid: sleeper?.pid,
          url: "http://127.0.0.1:1",
          host: "127.0.0.1",
          port: 1,
          configPath: dir.configPath,
          startedAt: 1,
          listeningAt: 2,
          version: "0.0.0",
        }),
      );
    const alive = () => sleeper?.exitCode === null && sleeper.signalCode === null;

    await writeStale();
    const shown = await runCli(["gateway", "status"], dir.env);
    expect(shown.code).toBe(1);
    expect(shown.stdout).toContain("gateway: not running");
    expect(shown.stderr).toMatch(/removed stale .*gateway\.json: pid \d+ runs "sleep 60"/);

    await writeStale();
    const stopped = await runCli(["gateway", "stop"], dir.env);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain("gateway is not running");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(alive()).toBe(true);

    await writeStale();
    const gateway = await startGateway(dir);
    expect(gateway.output()).toMatch(/removed stale/);
    const running = await runCli(["gateway", "status"], dir.env);
    expect(running.stdout).toContain(`gateway: running (pid ${gateway.process.pid})`);
    await gateway.stop();
    expect(alive()).toBe(true);
  }, 60_000);

  it("starts past a torn gateway.json", async () => {
    const dir = await home();
    await writeFile(join(dir.stateDir, "gateway.json"), '{ "pid": 12, "url": "ht');
    const gateway = await startGateway(dir);
    expect(gateway.output()).toMatch(/removed .*gateway\.json: it is not JSON/);
    await gateway.stop();
  }, 60_000);
});

describe("nodes.json", () => {
  it("starts with no nodes from an empty file, saying so", async () => {
    const dir = await home();
    await writeFile(join(dir.stateDir, "nodes.json"), "");
    const gateway = await startGateway(dir);
    expect(gateway.output()).toMatch(/nodes\.json is empty .* starts with no paired nodes/);
    await gateway.stop();
  }, 60_000);

  it("refuses a torn or foreign file with its path and the fix, never a bare parser message", async () => {
    const dir = await home();
    const path = join(dir.stateDir, "nodes.json");
    await writeFile(path, '{ "version": 1, "nodes": [ { "id": "ab');
    const run = await runCli(["gateway", "run", "--port", "0"], dir.env);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`node registry ${path} is corrupt: it is not JSON`);
    expect(run.stderr).toContain(`mv ${path} ${path}.corrupt`);
    expect(run.stderr).not.toMatch(/Unexpected|position \d/);
  }, 60_000);
});

describe("the generated TLS pair", () => {
  it("keeps an unusable pair aside and serves a new one", async () => {
    const dir = await home({ gateway: { tls: { enabled: true, autoGenerate: true } } });
    const tlsDir = join(dir.stateDir, "tls");
    await mkdir(tlsDir, { recursive: true });
    await writeFile(join(tlsDir, "gateway-cert.pem"), "");
    await writeFile(join(tlsDir, "gateway-key.pem"), "-----BEGIN PRIVATE KEY-----\nMIIE", { mode: 0o600 });
    const gateway = await startGateway(dir);
    expect(gateway.url).toMatch(/^https:/);
    expect(gateway.output()).toMatch(/could not be used \(the certificate file is empty\)/);
    const files = await readdir(tlsDir);
    expect(files.filter((name) => name.includes(".broken-"))).toHaveLength(2);
    expect(await readFile(join(tlsDir, "gateway-cert.pem"), "utf8")).toContain("BEGIN CERTIFICATE");
    await gateway.stop();
  }, 60_000);
});
