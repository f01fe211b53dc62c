// bench/confinement: what confining a host command costs. The median (and p90) wall time of an
// `exec` of `true` through the host runner, confined by bubblewrap (mount plan, pids cgroup,
// namespaces, prlimit) and unconfined (a plain process group), sequentially, in one process.
import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { printTable, REPO_ROOT } from "./gateway-process.mjs";

const CALLS = Number(process.env.BENCH_CONFINEMENT_CALLS ?? 50);

function percentile(sorted, share) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))];
}

async function timeCalls(runner) {
  const request = { command: "true", timeoutMs: 10_000, maxOutputBytes: 65_536 };
  for (let warmUp = 0; warmUp < 5; warmUp++) await runner.run(request);
  const times = [];
  for (let call = 0; call < CALLS; call++) {
    const started = performance.now();
    const result = await runner.run(request);
    times.push(performance.now() - started);
    if (result.exitCode !== 0) throw new Error(`true exited ${result.exitCode}: ${result.stderr}`);
  }
  times.sort((left, right) => left - right);
  return { medianMs: percentile(times, 0.5), p90Ms: percentile(times, 0.9) };
}

export async function runConfinement() {
  const { createHostCommandRunner } = await import(join(REPO_ROOT, "dist/tools/workspace/host-runner.js"));
  // Not under /tmp: the confined /tmp is a tmpfs, and the workspace must be bound from the host.
  const root = await mkdtemp("/var/tmp/openclaw-bench-confinement-");
  try {
    const confined = await timeCalls(createHostCommandRunner(root, { confinement: "bubblewrap" }));
    const unconfined = await timeCalls(createHostCommandRunner(root, { confinement: "unconfined" }));
    const overheadMs = confined.medianMs - unconfined.medianMs;
    printTable([
      ["exec `true`", "median ms", "p90 ms"],
      ["confined", confined.medianMs.toFixed(1), confined.p90Ms.toFixed(1)],
      ["unconfined", unconfined.medianMs.toFixed(1), unconfined.p90Ms.toFixed(1)],
      ["overhead", overheadMs.toFixed(1), ""],
    ]);
    return { calls: CALLS, confined, unconfined, overheadMs };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
