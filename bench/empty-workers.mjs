// The floor an agent thread cannot go below: what an empty `new Worker()` costs on this machine,
// with the same options the gateway gives an agent thread (empty env, the default agent's
// resourceLimits). Run in its own process by bench/footprint (`node bench/empty-workers.mjs N`):
// starts N workers one at a time, then N at once, and prints JSON on stdout.
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";

// agents.limits defaults (src/agents/agent-settings.ts) through hardHeapLimitMb: 512 + 256.
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 768, stackSizeMb: 4 };
const SETTLE_MS = 1000;
const count = Number(process.argv[2] ?? 10);

function rssMb() {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
  return match ? Number(match[1]) / 1024 : process.memoryUsage().rss / 1024 / 1024;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/** Resolves with the worker and the ms from `new Worker()` to its first message. */
function startEmptyWorker() {
  const startedAt = performance.now();
  // Listening on its port keeps the worker alive, as an idle agent thread's heartbeat does.
  const source =
    "const { parentPort } = require('node:worker_threads'); parentPort.on('message', () => {}); parentPort.postMessage('ready');";
  const worker = new Worker(source, {
    eval: true,
    env: {},
    resourceLimits: RESOURCE_LIMITS,
    stdout: false,
    stderr: false,
  });
  return new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", () => resolve({ worker, ms: performance.now() - startedAt }));
  });
}

await settle();
const baseRssMb = rssMb();
const sequential = [];
for (let index = 0; index < count; index++) sequential.push(await startEmptyWorker());
await settle();
const sequentialRssMb = rssMb();
await Promise.all(sequential.map(({ worker }) => worker.terminate()));

await settle();
const parallelStartedAt = performance.now();
const parallel = await Promise.all(Array.from({ length: count }, () => startEmptyWorker()));
const parallelMs = performance.now() - parallelStartedAt;
await Promise.all(parallel.map(({ worker }) => worker.terminate()));

const times = sequential.map(({ ms }) => ms).sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    count,
    baseRssMb,
    perWorkerRssMb: (sequentialRssMb - baseRssMb) / count,
    perWorkerMsMedian: times[Math.floor(times.length / 2)],
    perWorkerMsParallel: parallelMs / count,
  })}\n`,
);
