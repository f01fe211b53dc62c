import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./harness.js";

/**
 * A gateway that cannot start leaves nothing behind. The built gateway runs in this test's own
 * process, so that its threads, watchers, open files and sockets can be counted: the agents'
 * worker threads (named `openclaw:<agent>`), the secret file's watcher, memory's databases.
 */

interface GatewayModule {
  Gateway: new (
    options: Record<string, unknown>,
  ) => {
    start(): Promise<unknown>;
    stop(): Promise<void>;
  };
}
interface LoggingModule {
  createSilentLogger(): unknown;
}

const dist = (path: string) => join(REPO_ROOT, "dist", path);

function agentThreads(): number {
  return readdirSync("/proc/self/task").filter((task) => {
    try {
      return readFileSync(`/proc/self/task/${task}/comm`, "utf8").startsWith("openclaw:");
    } catch {
      return false;
    }
  }).length;
}

function openFilesUnder(directory: string): string[] {
  return readdirSync("/proc/self/fd").flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(directory) ? [target] : [];
    } catch {
      return [];
    }
  });
}

function watchersAndServers(): string[] {
  return process
    .getActiveResourcesInfo()
    .filter(
      (resource) => resource === "FSEventWrap" || resource === "StatWatcher" || resource === "TCPServerWrap",
    );
}

async function settled(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

describe("a gateway that fails part-way through start", () => {
  let dir: string;
  let stateDir: string;
  let configPath: string;
  let gatewayModule: GatewayModule;
  let logger: unknown;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-rollback-"));
    stateDir = join(dir, "state");
    configPath = join(dir, "openclaw.json");
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    const secret = join(dir, "secrets", "gateway.token");
    await mkdir(join(dir, "secrets"), { recursive: true, mode: 0o700 });
    await writeFile(secret, "rollback-token-0123456789abcdefghijklmnop\n", { mode: 0o600 });
    await writeFile(
      configPath,
      JSON.stringify({
        externalSecrets: { "gateway-token": { source: "file", path: secret } },
        gateway: { auth: { mode: "token", token: { $secret: "gateway-token" } } },
        agents: { alpha: { threadBound: true }, beta: { threadBound: true } },
      }),
    );
    gatewayModule = (await import(dist("gateway/index.js"))) as GatewayModule;
    logger = ((await import(dist("logging/index.js"))) as LoggingModule).createSilentLogger();
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const gateway = () =>
    new gatewayModule.Gateway({ configPath, stateDir, port: 0, logger, watchConfig: true });

  it("starts and stops cleanly when nothing fails (the counts below can see what it holds)", async () => {
    const running = gateway();
    await running.start();
    expect(agentThreads()).toBe(2);
    expect(watchersAndServers()).toContain("TCPServerWrap");
    await running.stop();
    // A closed handle stays listed until the loop runs its close callback: wait for that, but a
    // leaked one never goes.
    expect(await settled(() => agentThreads() === 0 && watchersAndServers().length === 0)).toBe(true);
    expect(watchersAndServers()).toEqual([]);
    expect(openFilesUnder(dir)).toEqual([]);
  });

  it("rolls back: no worker thread, watcher, open database or socket is left when memory cannot start", async () => {
    // A file where memory keeps its databases: memory starts after the agents, so their threads
    // (and the secret's file watcher) are up when it fails.
    await writeFile(join(stateDir, "memory"), "not a directory");
    let mostThreads = 0;
    const sampler = setInterval(() => {
      mostThreads = Math.max(mostThreads, agentThreads());
    }, 2);
    const failing = gateway();
    await expect(failing.start()).rejects.toMatchObject({ code: "OC_ERR_MEMORY" });
    clearInterval(sampler);
    expect(mostThreads, "the agents' threads had started before memory failed").toBe(2);
    // A closed handle stays listed until the loop runs its close callback: wait for that, but a
    // leaked one never goes.
    expect(await settled(() => agentThreads() === 0 && watchersAndServers().length === 0)).toBe(true);
    expect(watchersAndServers()).toEqual([]);
    expect(openFilesUnder(dir)).toEqual([]);
  });
});
