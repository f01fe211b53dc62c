// bench/peer: this gateway side by side with OpenClaw 2026.9.6 (from the compat cache, on its own
// Node 26): launch → ready (GET /readyz answers 200) with one agent, and the idle RSS of the whole
// process tree (OpenClaw spawns helper processes) with three agents (ours thread-bound, and once
// more on our main thread), each with its compile cache as its launcher keeps it. BENCH_PEER_RUNS runs of
// each, alternating ours and theirs so that a change in machine load hits both; medians and
// ratios (ours / theirs) printed.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { printTable, startGateway } from "./gateway-process.mjs";

const RUNS = Number(process.env.BENCH_PEER_RUNS ?? 3);
/** How long a started gateway is left alone before its idle RSS is read. */
const IDLE_MS = Number(process.env.BENCH_PEER_IDLE_MS ?? 5000);
const READY_TIMEOUT_MS = Number(process.env.BENCH_PEER_READY_TIMEOUT_MS ?? 600_000);
const PEER_TOKEN = "peer-token-0123456789abcdef0123456789";
const AGENT_IDS = ["main", "research", "ops"];

/** The process and its descendants, from /proc: OpenClaw runs helpers as child processes. */
export function treeRssMb(rootPid) {
  const parentOf = new Map();
  const rssOf = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // comm may hold spaces and parentheses: fields are counted from the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parentOf.set(Number(entry), Number(fields[1]));
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, "utf8"));
      rssOf.set(Number(entry), rss ? Number(rss[1]) : 0);
    } catch {
      // exited meanwhile
    }
  }
  const inTree = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, parent] of parentOf) {
      if (!inTree.has(pid) && inTree.has(parent)) {
        inTree.add(pid);
        grew = true;
      }
    }
  }
  let kb = 0;
  for (const pid of inTree) kb += rssOf.get(pid) ?? 0;
  return { mb: kb / 1024, processes: [...inTree].filter((pid) => rssOf.has(pid)).length };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** After a stop, before the next launch: what the stopped side left to the page cache and CPU settles. */
const SETTLE_MS = Number(process.env.BENCH_PEER_SETTLE_MS ?? 1000);

/**
 * Ours as `openclaw gateway` runs it: thread-bound agents (each its own thread, heap limit and
 * watchdog) unless said otherwise, and Node's compile cache on (bin/openclaw.mjs enables it, as
 * OpenClaw's launcher does its own), warmed by one untimed start.
 */
async function startOurs(agentCount, { compileCache, threadBound = true }) {
  const agents = Object.fromEntries(AGENT_IDS.slice(0, agentCount).map((id) => [id, { threadBound }]));
  const gateway = await startGateway(
    { agents },
    { readyTimeoutMs: READY_TIMEOUT_MS, env: { NODE_COMPILE_CACHE: compileCache } },
  );
  return { pid: gateway.pid, readyMs: gateway.readyMs, stop: () => gateway.stop() };
}

async function startTheirs(tools, agentCount) {
  const dir = await mkdtemp(join(tmpdir(), "openclaw-peer-"));
  const stateDir = join(dir, "state");
  const home = join(dir, "home");
  await mkdir(home, { recursive: true });
  const port = await freePort();
  const configPath = join(dir, "openclaw.json");
  // OpenClaw's own shape (docs/gateway/config-gateway.md, config-agents.md): a local gateway on
  // loopback with token auth, agents as a list.
  await writeFile(
    configPath,
    JSON.stringify({
      gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token", token: PEER_TOKEN } },
      agents: { list: AGENT_IDS.slice(0, agentCount).map((id, index) => ({ id, default: index === 0 })) },
    }),
  );
  const spawnedAt = performance.now();
  // The embedding preset (docs/gateway/embedding.md): no LAN advertising, no detached respawn,
  // no channels, no login-shell snapshot; HOME points into the throwaway dir.
  const child = spawn(tools.node, [tools.openclaw, "gateway", "--port", String(port)], {
    env: {
      ...process.env,
      HOME: home,
      OPENCLAW_STATE_DIR: stateDir,
      OPENCLAW_CONFIG_PATH: configPath,
      OPENCLAW_DISABLE_BONJOUR: "1",
      OPENCLAW_NO_RESPAWN: "1",
      OPENCLAW_SKIP_CHANNELS: "1",
      OPENCLAW_EXEC_SHELL_SNAPSHOT: "0",
    },
    stdio: ["ignore", "ignore", "pipe"],
    detached: true, // its own process group, so stop() reaches the helpers too
  });
  let output = "";
  child.stderr.on("data", (data) => {
    output = (output + data).slice(-20_000);
  });
  const stop = async () => {
    const exited = new Promise((resolve) =>
      child.exitCode !== null ? resolve() : child.once("exit", resolve),
    );
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, 15_000);
    await exited;
    // The helpers of its process group may outlive it by a moment: the next launch (ours or its)
    // must not meet them still running.
    for (let waited = 0; waited < 15_000 && groupAlive(child.pid); waited += 50) await sleep(50);
    clearTimeout(timer);
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`OpenClaw exited with ${child.exitCode}:\n${output}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return { pid: child.pid, readyMs: performance.now() - spawnedAt, stop };
    } catch {
      // not up yet
    }
    await sleep(20);
  }
  await stop();
  throw new Error(`OpenClaw not ready within ${READY_TIMEOUT_MS} ms:\n${output}`);
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};

export async function runPeer() {
  // The compat suite's installer, not a copy: it installs the pinned OpenClaw and Node 26 when absent.
  const { ensureCompatTools } = await import("../test/compat/compat-cache.ts");
  const tools = ensureCompatTools();
  const compileCache = await mkdtemp(join(tmpdir(), "openclaw-peer-cache-"));
  await (await startOurs(1, { compileCache })).stop();
  const starters = {
    ours: (count) => startOurs(count, { compileCache }),
    theirs: (count) => startTheirs(tools, count),
  };
  const figures = {
    ours: { readyMs: [], idleRssMb: [], processes: [] },
    theirs: { readyMs: [], idleRssMb: [], processes: [] },
  };
  // Ours with the three agents on the gateway's own thread (threadBound: false), for reference.
  const mainThreadRssMb = [];
  for (let run = 0; run < RUNS; run += 1) {
    // Who goes first alternates, so that neither always meets a warmer page cache.
    const order = run % 2 === 0 ? ["ours", "theirs"] : ["theirs", "ours"];
    for (const who of order) {
      const single = await starters[who](1);
      figures[who].readyMs.push(single.readyMs);
      await single.stop();
      await sleep(SETTLE_MS);
    }
    for (const who of order) {
      const three = await starters[who](3);
      await sleep(IDLE_MS);
      const tree = treeRssMb(three.pid);
      figures[who].idleRssMb.push(tree.mb);
      figures[who].processes.push(tree.processes);
      await three.stop();
    }
    const shared = await startOurs(3, { compileCache, threadBound: false });
    await sleep(IDLE_MS);
    mainThreadRssMb.push(treeRssMb(shared.pid).mb);
    await shared.stop();
  }
  await rm(compileCache, { recursive: true, force: true });
  const result = {};
  for (const who of ["ours", "theirs"]) {
    result[who] = {
      readyMs: median(figures[who].readyMs),
      idleRssMb: median(figures[who].idleRssMb),
      processes: median(figures[who].processes),
      runs: figures[who],
    };
  }
  const ratio = (key) => result.ours[key] / result.theirs[key];
  console.log(
    `\nbench/peer: this gateway vs OpenClaw ${tools.versions.openclaw} (Node ${tools.versions[Object.keys(tools.versions).find((name) => name.startsWith("node-"))]}), ` +
      `medians of ${RUNS} alternating runs; idle RSS of the process tree ${IDLE_MS / 1000} s after ready`,
  );
  const format = (value) => value.toFixed(0);
  printTable([
    ["measure", "this gateway", "OpenClaw", "ours / theirs"],
    [
      "launch → ready, 1 agent (ms)",
      format(result.ours.readyMs),
      format(result.theirs.readyMs),
      ratio("readyMs").toFixed(3),
    ],
    [
      "idle RSS, 3 agents (MB; ours thread-bound)",
      format(result.ours.idleRssMb),
      format(result.theirs.idleRssMb),
      ratio("idleRssMb").toFixed(3),
    ],
    [
      "idle RSS, 3 agents on our main thread (MB)",
      format(median(mainThreadRssMb)),
      format(result.theirs.idleRssMb),
      (median(mainThreadRssMb) / result.theirs.idleRssMb).toFixed(3),
    ],
    ["processes in the tree", result.ours.processes, result.theirs.processes, ""],
  ]);
  return {
    runs: RUNS,
    idleMs: IDLE_MS,
    versions: tools.versions,
    ...result,
    mainThreadAgents: { idleRssMb: median(mainThreadRssMb), runs: mainThreadRssMb },
    ratios: {
      readyMs: ratio("readyMs"),
      idleRssMb: ratio("idleRssMb"),
      mainThreadIdleRssMb: median(mainThreadRssMb) / result.theirs.idleRssMb,
    },
  };
}
