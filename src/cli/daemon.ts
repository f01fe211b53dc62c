import { closeSync, mkdirSync, openSync, readFileSync, statSync } from "node:fs";
import module from "node:module";
import { join } from "node:path";
import { gatewayLogPath } from "../config/paths.js";
import { cliMainPath } from "../entry-points.js";
import { OpenClawError } from "../errors.js";
import {
  type GatewayRuntimeState,
  inspectRuntimeState,
  readRuntimeState,
  removeRuntimeState,
  runtimeStatePath,
  verifyRuntimeState,
} from "../gateway/runtime-state.js";
import { readCa, requestLocalGateway } from "./local-http.js";

const POLL_INTERVAL_MS = 50;

/** What the gateway writes to cli-token: 32 random bytes, unpadded base64url. */
const CLI_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The running gateway's credential for commands on this host (written by the gateway, 0600).
 * An empty, torn or foreign file gives none: sending it would only earn a 401 (see fetchJson).
 */
export function localGatewayToken(stateDir: string): string | undefined {
  try {
    const token = readFileSync(join(stateDir, "cli-token"), "utf8").trim();
    return CLI_TOKEN_PATTERN.test(token) ? token : undefined;
  } catch {
    return undefined;
  }
}

export async function fetchJson(
  url: string,
  timeoutMs = 2000,
  stateDir?: string,
  caPath?: string,
): Promise<unknown> {
  const token = stateDir ? localGatewayToken(stateDir) : undefined;
  const ca = readCa(caPath);
  const response = await requestLocalGateway(url, {
    timeoutMs,
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    ...(ca ? { ca } : {}),
  });
  if (response.status === 401 && stateDir) {
    const path = join(stateDir, "cli-token");
    throw new OpenClawError("OC_ERR_UNAUTHORIZED", `${url} refused this host's CLI token (${path})`, {
      hint: token
        ? `${path} is not the running gateway's (another gateway wrote it?): restart the gateway, which writes its own at start`
        : `${path} is missing, empty or torn: restart the gateway (openclaw gateway stop && openclaw gateway start), which writes a new one`,
    });
  }
  if (response.status < 200 || response.status >= 300) throw new Error(`${url} answered ${response.status}`);
  return response.body;
}

async function answers(url: string, caPath?: string): Promise<boolean> {
  try {
    await fetchJson(`${url}/health`, 1000, undefined, caPath);
    return true;
  } catch {
    return false;
  }
}

/**
 * The running gateway described by the state dir, or undefined. A state file that describes no
 * running gateway (its process exited; its pid now belongs to another process, as after a crash
 * and a reboot; the file is empty, torn or foreign) is stale: it is removed, and `onStale` told
 * why, so that the next start is not refused and no unrelated process is ever signalled.
 */
export async function findRunningGateway(
  stateDir: string,
  onStale?: (message: string) => void,
): Promise<GatewayRuntimeState | undefined> {
  const reading = await inspectRuntimeState(stateDir);
  if (reading.kind === "missing") return undefined;
  const path = runtimeStatePath(stateDir);
  if (reading.kind === "invalid") {
    await removeRuntimeState(stateDir, Number.NaN).catch(() => undefined);
    onStale?.(`removed ${path}: ${reading.reason}`);
    return undefined;
  }
  const { state } = reading;
  const verdict = verifyRuntimeState(state);
  if (verdict.kind === "gateway") return state;
  await removeRuntimeState(stateDir, state.pid).catch(() => undefined);
  onStale?.(
    verdict.kind === "gone"
      ? `removed stale ${path}: the gateway it names (pid ${state.pid}) is no longer running`
      : `removed stale ${path}: ${verdict.reason}, not the gateway that wrote it`,
  );
  return undefined;
}

/**
 * The last lines `path` got from `fromByte` on: gateway.out is appended to by every start, and
 * lines of an earlier run (another port, an old crash) would pass for the cause of this failure.
 */
function tail(path: string, fromByte: number, lines = 15): string {
  try {
    const written = readFileSync(path).subarray(fromByte).toString("utf8").trimEnd();
    return written === "" ? "(it wrote nothing)" : written.split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export interface StartOptions {
  configPath: string;
  stateDir: string;
  extraArgs: string[];
  timeoutMs?: number;
}

/**
 * Starts `openclaw gateway run` detached, with its output in a log file, and returns as soon as
 * the new process has written its state file and answers /health.
 */
export async function startDetached(
  options: StartOptions,
): Promise<{ state: GatewayRuntimeState; logPath: string }> {
  const logDir = join(options.stateDir, "logs");
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
  // The gateway writes its structured log itself (gateway.log, rotated); what reaches stdout and
  // stderr besides (a crash before the logger exists, Node's own warnings) lands in gateway.out.
  const logPath = gatewayLogPath(options.stateDir);
  const outPath = join(logDir, "gateway.out");
  const startByte = sizeOf(outPath);
  const logFd = openSync(outPath, "a", 0o600);
  const mainScript = cliMainPath();
  // Imported here: node:child_process brings net, dgram and streams, ≈ 5-10 ms that the commands
  // which only read gateway.json (status, token, config get) should not pay.
  const { spawn } = await import("node:child_process");
  const child = spawn(
    process.execPath,
    [
      mainScript,
      "gateway",
      "run",
      "--config",
      options.configPath,
      "--log-path",
      outPath,
      ...options.extraArgs,
    ],
    {
      detached: true,
      stdio: ["ignore", logFd, logFd],
      env: { ...process.env, ...compileCacheEnv(), OPENCLAW_STATE_DIR: options.stateDir },
    },
  );
  closeSync(logFd);
  let exitCode: number | null = null;
  child.on("exit", (code) => {
    exitCode = code ?? 1;
  });
  child.unref();
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (exitCode !== null) {
      throw new OpenClawError(
        "OC_ERR_GATEWAY_START",
        `the gateway exited with code ${exitCode} during start-up`,
        {
          hint: `see ${outPath} and \`openclaw logs\`:\n${tail(outPath, startByte)}`,
        },
      );
    }
    const state = await readRuntimeState(options.stateDir);
    if (state && state.pid === child.pid && (await answers(state.url, state.tlsCertPath)))
      return { state, logPath };
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new OpenClawError("OC_ERR_GATEWAY_START", "the gateway did not answer in time", {
    hint: `see \`openclaw logs\` and ${outPath}:\n${tail(outPath, startByte)}`,
  });
}

/**
 * SIGTERM, wait for a graceful exit, SIGKILL after the timeout. Returns how it ended. The pid is
 * checked to still be that gateway before each signal: a pid reused while we wait is never hit.
 */
export async function stopGateway(
  state: GatewayRuntimeState,
  timeoutMs = 10_000,
): Promise<"stopped" | "killed" | "not-running"> {
  if (verifyRuntimeState(state).kind !== "gateway") return "not-running";
  try {
    process.kill(state.pid, "SIGTERM");
  } catch {
    return "stopped";
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (verifyRuntimeState(state).kind !== "gateway") return "stopped";
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  if (verifyRuntimeState(state).kind !== "gateway") return "stopped";
  process.kill(state.pid, "SIGKILL");
  return "killed";
}

/**
 * The launcher (bin/openclaw.mjs) turned the compile cache on for this process; the detached
 * gateway is spawned on dist/ directly, so it is told the directory to keep the same cache (its
 * agent threads take it from the gateway's thread).
 */
function compileCacheEnv(): { NODE_COMPILE_CACHE?: string } {
  const dir = module.getCompileCacheDir?.();
  return dir ? { NODE_COMPILE_CACHE: dir } : {};
}
