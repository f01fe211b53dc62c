// `npm run bench [name...]`: runs the benchmarks (all by default), prints a table for each and
// writes bench/results/<name>.json. Benchmarks measure; they do not pass or fail.
import { mkdir, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { join } from "node:path";
import { runFootprint } from "./footprint.mjs";
import { REPO_ROOT } from "./gateway-process.mjs";
import { runIsolation } from "./isolation.mjs";

const BENCHES = {
  overhead: async () => (await import("./overhead.mjs")).runOverhead(),
  streaming: async () => (await import("./streaming.mjs")).runStreaming(),
  fanout: async () => (await import("./fanout.mjs")).runFanout(),
  isolation: runIsolation,
  footprint: runFootprint,
  memory: async () => (await import("./memory.mjs")).runMemory(),
  redaction: async () => (await import("./redaction.mjs")).runRedaction(),
  confinement: async () => (await import("./confinement.mjs")).runConfinement(),
  channels: async () => (await import("./channels.mjs")).runChannels(),
  cli: async () => (await import("./cli.mjs")).runCli(),
  soak: async () => (await import("./soak.mjs")).runSoak(),
  peer: async () => (await import("./peer.mjs")).runPeer(),
  cluster: async () => (await import("./cluster.mjs")).runCluster(),
};
const selected = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(BENCHES);
const resultsDir = join(REPO_ROOT, "bench/results");
await mkdir(resultsDir, { recursive: true });
const machine = {
  node: process.versions.node,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  at: new Date().toISOString(),
};

for (const name of selected) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; available: ${Object.keys(BENCHES).join(", ")}`);
    process.exit(2);
  }
  const result = await bench();
  const path = join(resultsDir, `${name}.json`);
  await writeFile(path, `${JSON.stringify({ bench: name, machine, ...result }, null, 2)}\n`);
  console.log(`(written to ${path})`);
}
