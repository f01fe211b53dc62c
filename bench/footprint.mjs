// bench/footprint: start-up time to ready and resident memory of the gateway with 0, 1, 3, 10
// and 50 idle thread-bound agents (dev model, no plugins). Each count is started three times; the
// median is reported. Per-agent cost is the slope against the zero-agent gateway.
import { AUTH, printTable, readRssMb, startGateway } from "./gateway-process.mjs";

const COUNTS = [0, 1, 3, 10, 50];
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SETTLE_MS = 1000;

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

export async function runFootprint() {
  const results = [];
  for (const count of COUNTS) {
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
    results.push({ agents: count, readyMs: median(readyMs), rssMb: median(rssMb) });
  }
  const base = results[0];
  for (const entry of results) {
    entry.perAgentRssMb = entry.agents === 0 ? 0 : (entry.rssMb - base.rssMb) / entry.agents;
    entry.perAgentReadyMs = entry.agents === 0 ? 0 : (entry.readyMs - base.readyMs) / entry.agents;
  }
  const rows = [["thread-bound agents", "ready ms", "RSS MB", "per agent MB", "per agent ms"]];
  for (const entry of results) {
    rows.push([
      entry.agents,
      entry.readyMs.toFixed(0),
      entry.rssMb.toFixed(1),
      entry.perAgentRssMb.toFixed(2),
      entry.perAgentReadyMs.toFixed(1),
    ]);
  }
  console.log(
    `\nbench/footprint: start-up to ready and RSS (median of ${RUNS} runs, idle agents, dev model)`,
  );
  printTable(rows);
  return { runs: RUNS, results };
}
