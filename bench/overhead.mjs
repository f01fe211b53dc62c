// bench/overhead: what the gateway costs over the raw limit. Requests/s and p50/p99 of
// GET /health and of a non-streaming chat turn (dev model, one thread-bound agent), against a
// bare node:http server answering the same bytes; same load client, same run, ratios reported.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { AUTH, percentile, printTable, REPO_ROOT, runLoad, startGateway } from "./gateway-process.mjs";
import { measureThreadWake } from "./thread-wake.mjs";

const MAX_MS = Number(process.env.BENCH_OVERHEAD_MS ?? 10000);
// Bare and gateway alternate, round after round: on a shared 2-vCPU machine one pair of rows
// can differ by 1.5x from the next, and the median of per-round ratios is what holds still.
const ROUNDS = Math.max(1, Number(process.env.BENCH_OVERHEAD_ROUNDS ?? 5));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const CHAT = { model: "openclaw/main", messages: [{ role: "user", content: "ping" }] };

async function startBare(bodies) {
  const child = spawn(process.execPath, [join(REPO_ROOT, "bench/bare-server.mjs"), JSON.stringify(bodies)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise((resolve) =>
    child.stdout.once("data", (data) => resolve(Number(String(data).trim()))),
  );
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

async function measure(url, path, body, maxMs) {
  const spec = {
    url: `${url}${path}`,
    headers: AUTH,
    concurrency: CONCURRENCY,
    maxMs,
    ...(body ? { method: "POST", body } : {}),
  };
  await runLoad({ ...spec, maxMs: 500 }); // warm-up: JIT, keep-alive sockets
  return runLoad(spec);
}

/** The round with the median ratio: a row's figures and its ratio come from one round. */
const medianRound = (rounds) =>
  percentile(
    [...rounds].sort((a, b) => a.ratio - b.ratio),
    0.5,
  );

export async function runOverhead() {
  const gateway = await startGateway({ agents: { main: { threadBound: process.env.BENCH_INLINE !== "1" } } });
  try {
    // The bare server answers the gateway's own bytes, captured here.
    const health = await (await fetch(`${gateway.url}/health`)).text();
    const chat = await (
      await fetch(`${gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", ...AUTH },
        body: JSON.stringify(CHAT),
      })
    ).text();
    const bare = await startBare({ "/health": health, "/v1/chat/completions": chat });
    try {
      const results = {};
      for (const [name, path, body] of [
        ["GET /health", "/health", undefined],
        ["POST /v1/chat/completions", "/v1/chat/completions", CHAT],
      ]) {
        // Steady state is what is compared: the first seconds of load still run unoptimized code.
        await measure(bare.url, path, body, 2000);
        await measure(gateway.url, path, body, 3000);
        const rounds = [];
        for (let round = 0; round < ROUNDS; round++) {
          const limit = await measure(bare.url, path, body, MAX_MS / ROUNDS);
          const through = await measure(gateway.url, path, body, MAX_MS / ROUNDS);
          rounds.push({ bare: limit, gateway: through, ratio: through.rps / limit.rps });
        }
        results[name] = { ...medianRound(rounds), ratios: rounds.map((round) => round.ratio) };
      }
      const format = (value) => value.toFixed(2);
      const rows = [
        ["request", "target", "req/s", "p50 ms", "p99 ms", "errors", "gateway / bare (median)", "per round"],
      ];
      for (const [name, { bare: limit, gateway: through, ratio, ratios }] of Object.entries(results)) {
        rows.push([
          name,
          "bare node:http",
          Math.round(limit.rps),
          format(limit.p50),
          format(limit.p99),
          limit.errors,
          "",
          "",
        ]);
        rows.push([
          name,
          "gateway",
          Math.round(through.rps),
          format(through.p50),
          format(through.p99),
          through.errors,
          `${(ratio * 100).toFixed(1)}%`,
          ratios.map((value) => `${Math.round(value * 100)}`).join(" "),
        ]);
      }
      console.log(
        `\nbench/overhead: ${CONCURRENCY} keep-alive connections from a second process, ${ROUNDS} alternating rounds of ${MAX_MS / ROUNDS / 1000} s per target (row: the median round)`,
      );
      printTable(rows);
      // Measured with the gateway idle: the cost every crossing to an agent thread starts from.
      const wake = await measureThreadWake();
      console.log(
        `one postMessage of a turn to a sleeping worker: ${wake.sleepingPostUs.toFixed(1)} µs of the sender's time ` +
          `(round trip ${wake.roundTripUs.toFixed(0)} µs, ${wake.roundTripMainCpuUs.toFixed(0)} µs of the sender's CPU); ` +
          `to a running one: ${wake.awakePostUs.toFixed(1)} µs`,
      );
      return { concurrency: CONCURRENCY, maxMs: MAX_MS, rounds: ROUNDS, results, threadWake: wake };
    } finally {
      bare.stop();
    }
  } finally {
    await gateway.stop();
  }
}
