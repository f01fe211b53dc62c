// bench/cli: wall time of `openclaw <command>` from spawn to exit, on the pinned Node, against a
// fresh state dir with no gateway running (the commands a user types most, and those that must
// stay local). Each command runs RUNS times after one warm-up run (which fills the OS file
// cache); p50, p90 and the minimum are reported, the minimum being the figure least disturbed by
// other load on a shared machine. Measures only: nothing here passes or fails.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { percentile, printTable, REPO_ROOT } from "./gateway-process.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const LAUNCHER = join(REPO_ROOT, "bin/openclaw.mjs");
const COMMANDS = [
  ["--version"],
  ["--help"],
  ["gateway", "--help"],
  ["config", "validate"],
  ["config", "get", "gateway.port"],
  ["status"],
  ["gateway", "status"],
  ["gateway", "token"],
  ["secrets", "list"],
  ["secrets", "audit"],
  ["agents", "list"],
  ["logs"],
  ["pairing", "list"],
  ["doctor"],
];

// Through npx (a checkout without `npm link`): npm's own start-up comes on top.
const NPX = ["npx", "openclaw", "--version"];

function timeOnce(args, env) {
  const [command, commandArgs] =
    args === NPX ? ["npx", NPX.slice(1)] : [process.execPath, [LAUNCHER, ...args]];
  const started = process.hrtime.bigint();
  const result = spawnSync(command, commandArgs, { env, encoding: "utf8", cwd: REPO_ROOT });
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.error) throw result.error;
  return { elapsedMs, exitCode: result.status };
}

export async function runCli() {
  const home = mkdtempSync(join(tmpdir(), "openclaw-bench-cli-"));
  const env = {
    ...process.env,
    HOME: home,
    OPENCLAW_STATE_DIR: join(home, "state"),
    npm_config_update_notifier: "false",
  };
  delete env.OPENCLAW_CONFIG_PATH;
  const results = [];
  try {
    for (const args of [...COMMANDS, NPX]) {
      const first = timeOnce(args, env);
      const samples = [];
      for (let run = 0; run < RUNS; run++) samples.push(timeOnce(args, env).elapsedMs);
      samples.sort((a, b) => a - b);
      results.push({
        command: args === NPX ? NPX.join(" ") : `openclaw ${args.join(" ")}`,
        exitCode: first.exitCode,
        p50Ms: percentile(samples, 0.5),
        p90Ms: percentile(samples, 0.9),
        minMs: samples[0],
      });
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  const baseline = [];
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint();
    spawnSync(process.execPath, ["-e", "0"]);
    baseline.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  baseline.sort((a, b) => a - b);
  const nodeStartMs = percentile(baseline, 0.5);
  const rows = [["command", "exit", "p50 ms", "p90 ms", "min ms"]];
  rows.push([
    "node -e 0 (for scale)",
    0,
    nodeStartMs.toFixed(0),
    percentile(baseline, 0.9).toFixed(0),
    baseline[0].toFixed(0),
  ]);
  for (const entry of results) {
    rows.push([
      entry.command,
      entry.exitCode,
      entry.p50Ms.toFixed(0),
      entry.p90Ms.toFixed(0),
      entry.minMs.toFixed(0),
    ]);
  }
  console.log(
    `\nbench/cli: \`openclaw …\` spawn to exit on Node ${process.versions.node}, no gateway (${RUNS} runs each)`,
  );
  printTable(rows);
  return { runs: RUNS, nodeStartMs, commands: results };
}
