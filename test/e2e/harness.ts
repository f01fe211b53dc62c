import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { cliEntry } from "../../bin/cli-entry.mjs";
import { requestLocalGateway } from "../../src/cli/local-http.js";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** What `openclaw` runs (the bundle after `npm run build`), so the e2e tests run the product. */
export const CLI_MAIN = cliEntry();

function assertBuilt(): void {
  if (!existsSync(CLI_MAIN)) throw new Error("dist/ is missing: run `npm run build` before the e2e tests");
}

export interface TempHome {
  dir: string;
  stateDir: string;
  configPath: string;
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

/**
 * Tests of other features talk to a loopback gateway without credentials: a config object that
 * says nothing about auth gets mode "none" (allowed on loopback only). Auth is tested on its own,
 * with the default token mode, in auth-boundary.test.ts.
 */
export function withTestAuth(config: unknown): unknown {
  if (typeof config !== "object" || config === null || Array.isArray(config)) return config;
  const record = config as Record<string, unknown>;
  const gateway = (record.gateway ?? {}) as Record<string, unknown>;
  if (gateway.auth !== undefined) return config;
  return { ...record, gateway: { ...gateway, auth: { mode: "none" } } };
}

/** A throwaway OPENCLAW_STATE_DIR with an optional config file (object → JSON, string → as is). */
export async function tempHome(config?: unknown): Promise<TempHome> {
  const dir = await mkdtemp(join(tmpdir(), "openclaw-e2e-"));
  const stateDir = join(dir, "state");
  const configPath = join(dir, "openclaw.json");
  if (config !== undefined) {
    await writeFile(
      configPath,
      typeof config === "string" ? config : JSON.stringify(withTestAuth(config), null, 2),
    );
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OPENCLAW_STATE_DIR: stateDir,
    OPENCLAW_CONFIG_PATH: configPath,
  };
  return { dir, stateDir, configPath, env, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** tsc's modules, one file per source: what tests of the module graph itself run. */
export const MODULAR_CLI_MAIN = join(REPO_ROOT, "dist/cli/main.js");

export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
  main = CLI_MAIN,
): Promise<CliResult> {
  assertBuilt();
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], { env, cwd: REPO_ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data) => {
      stdout += data;
    });
    child.stderr.on("data", (data) => {
      stderr += data;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`openclaw ${args.join(" ")} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, durationMs: performance.now() - startedAt });
    });
  });
}

export interface RunningGateway {
  url: string;
  port: number;
  home: TempHome;
  /** The gateway's local CLI token: accepted from loopback in every auth mode. */
  token: string;
  /** `Authorization` header with that token, for requests of tests about other features. */
  headers: Record<string, string>;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

const gatewayHeaders = new Map<string, Record<string, string>>();

/** The auth header of the gateway at `url`, started by this harness ({} if unknown). */
export function authHeaders(url: string): Record<string, string> {
  return gatewayHeaders.get(url) ?? {};
}

/** Starts `openclaw gateway run --port 0` as a real child process and waits until it answers. */
export async function startGateway(
  home: TempHome,
  extraArgs: string[] = [],
  options: { launcher?: string[]; readyTimeoutMs?: number } = {},
): Promise<RunningGateway> {
  assertBuilt();
  // A launcher that execs its command keeps the pid (`prlimit --nofile=256 --`), which is how
  // the gateway's own gateway.json is recognised below.
  const [command, ...launcherArgs] = [...(options.launcher ?? []), process.execPath];
  const child = spawn(
    command as string,
    [...launcherArgs, CLI_MAIN, "gateway", "run", "--port", "0", ...extraArgs],
    {
      env: {
        ...home.env,
        OPENCLAW_LOG_LEVEL: home.env.OPENCLAW_LOG_LEVEL ?? process.env.OPENCLAW_LOG_LEVEL ?? "info",
      },
      cwd: REPO_ROOT,
    },
  );
  let output = "";
  child.stdout?.on("data", (data) => {
    output += data;
  });
  child.stderr?.on("data", (data) => {
    output += data;
  });
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}:\n${output}`);
    try {
      const state = JSON.parse(await readFile(join(home.stateDir, "gateway.json"), "utf8")) as {
        pid: number;
        url: string;
        port: number;
        tlsCertPath?: string;
      };
      if (state.pid === child.pid) {
        // Over TLS the gateway's own (self-signed) certificate is the trust anchor.
        const ca = state.tlsCertPath ? await readFile(state.tlsCertPath, "utf8") : undefined;
        const health = await requestLocalGateway(`${state.url}/health`, {
          timeoutMs: 2000,
          ...(ca ? { ca } : {}),
        });
        if (health.status === 200) {
          const token = (await readFile(join(home.stateDir, "cli-token"), "utf8")).trim();
          const headers = { authorization: `Bearer ${token}` };
          gatewayHeaders.set(state.url, headers);
          return {
            url: state.url,
            port: state.port,
            home,
            token,
            headers,
            process: child,
            output: () => output,
            stop: () => stopChild(child),
          };
        }
      }
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`gateway did not answer within ${readyTimeoutMs / 1000} s:\n${output}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 8000);
  await exited;
  clearTimeout(timer);
}

/** Polls until `check` returns a truthy value or the time runs out (bounded, for async effects). */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ""}`);
}

/**
 * One gateway for a whole `describe`: started before its tests (with `config`, after `prepare`
 * adjusted the home's environment), stopped and cleaned up after them.
 */
export function useGateway(config?: unknown, prepare?: (home: TempHome) => void) {
  let home: TempHome | undefined;
  let gateway: RunningGateway | undefined;
  beforeAll(async () => {
    home = await tempHome(config);
    prepare?.(home);
    gateway = await startGateway(home);
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });
  return {
    get gateway(): RunningGateway {
      if (!gateway) throw new Error("the gateway is not started (used outside a test?)");
      return gateway;
    },
    get url(): string {
      return this.gateway.url;
    },
    get home(): TempHome {
      if (!home) throw new Error("the gateway home is not created yet");
      return home;
    },
  };
}

/** The JSON lines of a log or a command's output (other lines, like a banner, are skipped). */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
