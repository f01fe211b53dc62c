// Starts the built gateway (`dist/cli/main.js gateway run`) as a child process on a free
// loopback port with a throwaway state dir, the way a user runs it, for the benchmarks.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cliEntry } from "../bin/cli-entry.mjs";

export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI_MAIN = cliEntry();

/** The token every bench gateway authenticates with: real auth is part of what is measured. */
export const BENCH_TOKEN = "bench-token-0123456789abcdef0123456789";
export const AUTH = { authorization: `Bearer ${BENCH_TOKEN}` };

/**
 * `dir`: a directory of the caller's, kept at stop, so that a later start with the same config is
 * a restart (same state dir, same file bytes); by default a throwaway one per start.
 */
export async function startGateway(config, { readyTimeoutMs = 120_000, env = {}, dir: givenDir } = {}) {
  const dir = givenDir ?? (await mkdtemp(join(tmpdir(), "openclaw-bench-")));
  const stateDir = join(dir, "state");
  const configPath = join(dir, "openclaw.json");
  const withAuth = {
    ...config,
    externalSecrets: {
      ...(config.externalSecrets ?? {}),
      "bench-token": { source: "env", key: "OPENCLAW_BENCH_TOKEN" },
    },
    gateway: { ...(config.gateway ?? {}), auth: { mode: "token", token: { $secret: "bench-token" } } },
  };
  await writeFile(configPath, JSON.stringify(withAuth, null, 2));
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [CLI_MAIN, "gateway", "run", "--port", "0"], {
    env: {
      ...process.env,
      OPENCLAW_STATE_DIR: stateDir,
      OPENCLAW_CONFIG_PATH: configPath,
      OPENCLAW_LOG_LEVEL: "warn",
      OPENCLAW_BENCH_TOKEN: BENCH_TOKEN,
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let output = "";
  child.stderr.on("data", (data) => {
    output += data;
  });
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}:\n${output}`);
    try {
      const state = JSON.parse(await readFile(join(stateDir, "gateway.json"), "utf8"));
      const response = await fetch(`${state.url}/readyz`);
      if (response.ok) {
        const readyMs = performance.now() - spawnedAt;
        return {
          url: state.url,
          pid: child.pid,
          readyMs,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) {
              const exited = new Promise((resolve) => child.once("exit", resolve));
              child.kill("SIGTERM");
              const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
              await exited;
              clearTimeout(timer);
            }
            if (!givenDir) await rm(dir, { recursive: true, force: true });
          },
          /** A kill -9: no clean stop, whatever the process held is left to lapse. */
          async kill() {
            if (child.exitCode !== null || child.signalCode !== null) return;
            const exited = new Promise((resolve) => child.once("exit", resolve));
            child.kill("SIGKILL");
            await exited;
          },
        };
      }
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  child.kill("SIGKILL");
  throw new Error(`gateway not ready within ${readyTimeoutMs} ms:\n${output}`);
}

export async function chat(url, agentId, content, timeoutMs = 60_000) {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...AUTH },
    body: JSON.stringify({ model: `openclaw/${agentId}`, messages: [{ role: "user", content }] }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`${agentId}: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body.choices[0].message.content;
}

export function percentile(sorted, fraction) {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index];
}

export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1),
  };
}

export function printTable(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  for (const row of rows)
    console.log(row.map((cell, column) => String(cell).padEnd(widths[column])).join("  "));
}

export function readRssMb(pid) {
  return import("node:fs").then(({ readFileSync }) => {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  });
}

/** Runs bench/load-client.mjs in its own process against `spec.url`; resolves with its figures. */
export async function runLoad(spec) {
  const { execFile } = await import("node:child_process");
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(REPO_ROOT, "bench/load-client.mjs"), JSON.stringify(spec)],
      { timeout: (spec.maxMs ?? 5000) + 30_000, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    );
  });
}
