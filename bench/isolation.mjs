// bench/isolation: latency of a light agent, idle and while a CPU-bound sibling agent burns CPU,
// for thread-bound placement (each agent in its own worker thread) and shared placement (both on
// the gateway's main thread). One run measures all four rows, so they share the machine's state.
import { BURN_MS, hogAgent, startHog } from "./cpu-hog.mjs";
import { AUTH, chat, printTable, startGateway, summarize } from "./gateway-process.mjs";

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 1000);
// Shared placement under the hog costs ~100 ms a sample: its degradation shows in far fewer.
const SHARED_SAMPLES = Math.min(SAMPLES, 200);
// The hog runs this long before the light agent is measured: long enough for the supervisor to
// notice a busy thread and lower its CPU priority (limits.busyNice; about a second of busy).
const HOG_WARMUP_MS = 1500;
const HOG_DEADLINE_MS = 600_000;

async function measure(url, samples) {
  const latencies = [];
  for (let index = 0; index < samples; index++) {
    const startedAt = performance.now();
    const text = await chat(url, "light", `ping ${index}`);
    latencies.push(performance.now() - startedAt);
    if (text !== `You said: ping ${index}`) throw new Error(`unexpected answer: ${text}`);
  }
  return summarize(latencies);
}

async function runPlacement(threadBound) {
  const samples = threadBound ? SAMPLES : SHARED_SAMPLES;
  const gateway = await startGateway({
    agents: {
      light: { threadBound },
      hog: hogAgent(threadBound),
    },
  });
  try {
    await measure(gateway.url, 50);
    const idle = await measure(gateway.url, samples);
    const hog = startHog(gateway.url, HOG_DEADLINE_MS);
    await new Promise((resolve) => setTimeout(resolve, HOG_WARMUP_MS));
    const busy = await measure(gateway.url, samples);
    const status = await (await fetch(`${gateway.url}/__openclaw__/agents/hog`, { headers: AUTH })).json();
    const hogTurns = await hog.stop();
    return { idle, busy, hogTurns, hogNiced: status.agent.cpuDemoted === true };
  } finally {
    await gateway.stop();
  }
}

export async function runIsolation() {
  const results = {};
  for (const [placement, threadBound] of [
    ["thread-bound", true],
    ["shared", false],
  ]) {
    results[placement] = await runPlacement(threadBound);
  }
  const format = (value) => value.toFixed(2);
  const rows = [["placement", "sibling", "n", "p50 ms", "p99 ms", "max ms", "p99 / idle p99"]];
  for (const [placement, { idle, busy, hogTurns, hogNiced }] of Object.entries(results)) {
    rows.push([placement, "idle", idle.n, format(idle.p50), format(idle.p99), format(idle.max), "1.00"]);
    rows.push([
      placement,
      `cpu hog (${hogTurns} x ${BURN_MS} ms${hogNiced ? ", niced" : ""})`,
      busy.n,
      format(busy.p50),
      format(busy.p99),
      format(busy.max),
      format(busy.p99 / idle.p99),
    ]);
  }
  console.log(
    "\nbench/isolation: light agent latency (HTTP chat turn, dev model), idle vs CPU-bound sibling",
  );
  printTable(rows);
  return { samples: SAMPLES, burnMs: BURN_MS, hogWarmupMs: HOG_WARMUP_MS, results };
}
