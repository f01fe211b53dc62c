// bench/footprint: start-up time to ready and resident memory of the gateway with 0, 1, 3, 10
// and 50 idle thread-bound agents (dev model, no plugins). Each count is started three times; the
// median is reported. Per extra agent is the slope against the one-agent gateway (the 0 row has
// one agent on the gateway's own thread, which a gateway always has). The floor each agent
// thread is compared with, an empty `new Worker()` with the same options, is measured in the
// same run by bench/empty-workers.mjs. One agent is also started fresh and restarted (the same
// state dir and file) in alternating pairs: a restart reads its validated config back.
//
// The gateway runs with Node's compile cache, as bin/openclaw.mjs starts it, in a directory of
// this run, warmed by one start that is not counted; the one-agent start is also measured
// without it. BENCH_COMPILE_CACHE=0 measures every count without.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AUTH, printTable, REPO_ROOT, readRssMb, startGateway } from "./gateway-process.mjs";

const COUNTS = [0, 1, 3, 10, 50];
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SETTLE_MS = 1000;
const EMPTY_WORKERS = 10;
const WITH_CACHE = process.env.BENCH_COMPILE_CACHE !== "0";

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function configWith(count) {
  if (count === 0) return { agents: { main: { threadBound: false } } };
  const agents = {};
  for (let index = 1; index <= count; index++) agents[`agent-${index}`] = { threadBound: true };
  return { agents };
}

/** Median ready ms and RSS of `RUNS` starts with `count` agents, all of them ready. */
async function measure(count) {
  const readyMs = [];
  const rssMb = [];
  for (let run = 0; run < RUNS; run++) {
    const gateway = await startGateway(configWith(count));
    try {
      readyMs.push(gateway.readyMs);
      const status = await (await fetch(`${gateway.url}/__openclaw__/status`, { headers: AUTH })).json();
      const ready = status.agents.filter((agent) => agent.state === "ready").length;
      if (ready !== Math.max(1, count)) throw new Error(`${ready} of ${count} agents ready`);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      rssMb.push(await readRssMb(gateway.pid));
    } finally {
      await gateway.stop();
    }
  }
  return { agents: count, readyMs: median(readyMs), rssMb: median(rssMb) };
}

/**
 * Fresh starts against restarts with one agent, alternating: a restart has the state dir of an
 * earlier start of the same file, whose validated config the gateway then reads back instead of
 * building the config schema and validating again.
 */
async function measureRestart() {
  const dir = await mkdtemp(join(tmpdir(), "openclaw-bench-restart-"));
  const fresh = [];
  const restarted = [];
  try {
    await (await startGateway(configWith(1), { dir })).stop();
    for (let run = 0; run < Math.max(RUNS, 5); run++) {
      const first = await startGateway(configWith(1));
      fresh.push(first.readyMs);
      await first.stop();
      const again = await startGateway(configWith(1), { dir });
      restarted.push(again.readyMs);
      await again.stop();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { freshMs: median(fresh), restartMs: median(restarted), runs: fresh.length };
}

function emptyWorkers() {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [join(REPO_ROOT, "bench/empty-workers.mjs"), String(EMPTY_WORKERS)],
      { timeout: 120_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    ),
  );
}

/** Runs `body` with NODE_COMPILE_CACHE set for the gateways it starts (they inherit our env). */
async function withCompileCache(enabled, body) {
  const previous = process.env.NODE_COMPILE_CACHE;
  const dir = enabled ? await mkdtemp(join(tmpdir(), "openclaw-bench-cache-")) : undefined;
  if (dir) process.env.NODE_COMPILE_CACHE = dir;
  else delete process.env.NODE_COMPILE_CACHE;
  try {
    return await body();
  } finally {
    if (previous === undefined) delete process.env.NODE_COMPILE_CACHE;
    else process.env.NODE_COMPILE_CACHE = previous;
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

export async function runFootprint() {
  const emptyWorker = await emptyWorkers();
  const coldOneAgent = await withCompileCache(false, () => measure(1));
  const results = await withCompileCache(WITH_CACHE, async () => {
    // Fills the cache: the gateway writes its thread's entries at exit, each worker after ready.
    if (WITH_CACHE) await (await startGateway(configWith(1))).stop();
    const measured = [];
    for (const count of COUNTS) measured.push(await measure(count));
    return { measured, restart: await measureRestart() };
  });
  const { restart } = results;
  const measured = results.measured;
  const one = measured.find((entry) => entry.agents === 1);
  for (const entry of measured) {
    const extra = entry.agents - 1;
    entry.perExtraAgentRssMb = extra > 0 ? (entry.rssMb - one.rssMb) / extra : undefined;
    entry.perExtraAgentReadyMs = extra > 0 ? (entry.readyMs - one.readyMs) / extra : undefined;
  }
  const rows = [["thread-bound agents", "ready ms", "RSS MB", "per extra agent MB", "per extra agent ms"]];
  const cell = (value, digits) => (value === undefined ? "" : value.toFixed(digits));
  for (const entry of measured) {
    rows.push([
      entry.agents,
      entry.readyMs.toFixed(0),
      entry.rssMb.toFixed(1),
      cell(entry.perExtraAgentRssMb, 2),
      cell(entry.perExtraAgentReadyMs, 1),
    ]);
  }
  console.log(
    `\nbench/footprint: start-up to ready and RSS (median of ${RUNS} runs, idle agents, dev model, compile cache ${WITH_CACHE ? "warm" : "off"})`,
  );
  printTable(rows);
  const many = measured.at(-1);
  console.log(
    `one agent without the compile cache: ready ${coldOneAgent.readyMs.toFixed(0)} ms, RSS ${coldOneAgent.rssMb.toFixed(1)} MB`,
  );
  console.log(
    `one agent, fresh vs restarted on the same state dir and file (${restart.runs} alternating pairs): ready ${restart.freshMs.toFixed(0)} vs ${restart.restartMs.toFixed(0)} ms`,
  );
  console.log(
    `an empty Worker (same env and resourceLimits, ${EMPTY_WORKERS} kept alive): ${emptyWorker.perWorkerRssMb.toFixed(2)} MB, ` +
      `${emptyWorker.perWorkerMsMedian.toFixed(1)} ms to first message one at a time, ${emptyWorker.perWorkerMsParallel.toFixed(1)} ms each started together`,
  );
  console.log(
    `per extra agent (${many.agents} agents) against it: ${(many.perExtraAgentRssMb / emptyWorker.perWorkerRssMb).toFixed(2)}× the RSS, ` +
      `${(many.perExtraAgentReadyMs / emptyWorker.perWorkerMsParallel).toFixed(2)}× the ms of workers started together`,
  );
  return { runs: RUNS, compileCache: WITH_CACHE, results: measured, restart, coldOneAgent, emptyWorker };
}
