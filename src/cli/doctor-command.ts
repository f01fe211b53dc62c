import type { Command } from "commander";
import type { StorageFact } from "../diagnostics/facts.js";
import {
  applySafeFixes,
  type Diagnostic,
  diagnosticJson,
  type FixOutcome,
  type GatewayFact,
  gatherFacts,
  runChecks,
} from "../diagnostics/index.js";
import type { ClusterStatus } from "../gateway/gateway-cluster.js";
import type { StatusReport } from "../gateway/status-report.js";
import type { GlobalOptions } from "./cli-context.js";
import { configInUse } from "./config-in-use.js";
import { fetchJson, findRunningGateway } from "./daemon.js";
import { printJson } from "./output.js";

const PROBE_TIMEOUT_MS = 5000;

/** The running gateway's own account of its agents, pool, memory sync and auth refusals. */
async function probeRunningGateway(stateDir: string): Promise<GatewayFact> {
  const running = await findRunningGateway(stateDir);
  if (!running) return { state: "stopped" };
  const get = (path: string) =>
    fetchJson(`${running.url}${path}`, PROBE_TIMEOUT_MS, stateDir, running.tlsCertPath);
  try {
    const status = (await get("/__openclaw__/status")) as StatusReport;
    const { pool } = (await get("/__openclaw__/agents")) as {
      pool: Extract<GatewayFact, { state: "running" }>["pool"] | null;
    };
    return {
      state: "running",
      url: running.url,
      pid: running.pid,
      version: status.version,
      configPath: status.configPath,
      listenHost: status.listen.host,
      authMode: status.auth?.mode,
      agents: status.agents,
      ...(pool ? { pool } : {}),
      ...(status.memory ? { memory: status.memory } : {}),
      refusals: status.auth?.refusals ?? {},
      ...(status.stateDir ? { stateWrites: status.stateDir } : {}),
      ...(running.tokenFingerprint ? { tokenFingerprint: running.tokenFingerprint } : {}),
      ...(status.sessions?.retention ? { retention: status.sessions.retention } : {}),
      ...(status.channels ? { channels: status.channels } : {}),
      ...(status.mcp ? { mcp: status.mcp.sessions } : {}),
      ...(await storageFact(get)),
    };
  } catch (error) {
    return {
      state: "unresponsive",
      url: running.url,
      pid: running.pid,
      error: (error as Error).message,
      ...(running.tokenFingerprint ? { tokenFingerprint: running.tokenFingerprint } : {}),
    };
  }
}

/** The storage the gateway runs on; nothing from a gateway that predates the cluster route. */
async function storageFact(get: (path: string) => Promise<unknown>): Promise<{ storage?: StorageFact }> {
  try {
    const cluster = (await get("/__openclaw__/cluster/status")) as ClusterStatus;
    return {
      storage: {
        kind: cluster.storage,
        reachable: cluster.reachable,
        clustered: cluster.clustered,
        replicas: cluster.replicas.length,
      },
    };
  } catch {
    return {};
  }
}

const LABELS = { ok: "ok  ", warn: "warn", fail: "FAIL" } as const;

function printDiagnostics(diagnostics: Diagnostic[]): void {
  for (const diagnostic of diagnostics) {
    process.stdout.write(`${LABELS[diagnostic.status]} ${diagnostic.summary}\n`);
    if (diagnostic.status === "ok") continue;
    for (const line of diagnostic.details ?? []) process.stdout.write(`       ${line}\n`);
    if (diagnostic.fix) process.stdout.write(`     fix: ${diagnostic.fix}\n`);
  }
  const failures = diagnostics.filter((diagnostic) => diagnostic.status === "fail").length;
  const warnings = diagnostics.filter((diagnostic) => diagnostic.status === "warn").length;
  const fixable = diagnostics.filter((diagnostic) => diagnostic.status !== "ok" && diagnostic.safeFix);
  process.stdout.write(
    failures + warnings === 0
      ? "no problem found\n"
      : `${failures} failed, ${warnings} ${warnings === 1 ? "warning" : "warnings"}` +
          (fixable.length > 0 ? `; openclaw doctor --fix applies ${fixable.length} safe fix(es)` : "") +
          "\n",
  );
}

function printFixes(outcomes: FixOutcome[]): void {
  if (outcomes.length === 0) process.stdout.write("nothing to fix safely\n");
  for (const outcome of outcomes) {
    process.stdout.write(
      outcome.error ? `could not fix: ${outcome.action}: ${outcome.error}\n` : `fixed: ${outcome.action}\n`,
    );
  }
}

/** `openclaw doctor [--json] [--fix]`: every check, one line each with its fix; exit 1 on a failure. */
export function registerDoctorCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("doctor")
    .description(
      "check config, gateway, agents (503s, threadBound), hardcoded keys, trusted proxy, memory sync, exposure, files, TLS, Docker; exit 1 on a failure",
    )
    .option("--json", "print the findings as JSON")
    .option("--fix", "apply the safe fixes (file modes, a missing token or state dir), then check again")
    .action(async (options: { json?: boolean; fix?: boolean }) => {
      const { configPath, stateDir } = await configInUse(program.opts<GlobalOptions>());
      const check = async () =>
        runChecks(await gatherFacts({ configPath, stateDir, probeGateway: probeRunningGateway }));
      let diagnostics = await check();
      let fixes: FixOutcome[] | undefined;
      if (options.fix) {
        fixes = await applySafeFixes(diagnostics);
        if (fixes.length > 0) diagnostics = await check();
      }
      if (options.json) {
        const checks = diagnostics.map(diagnosticJson);
        printJson(fixes ? { fixed: fixes, checks } : checks);
      } else {
        if (fixes) printFixes(fixes);
        printDiagnostics(diagnostics);
      }
      if (diagnostics.some((diagnostic) => diagnostic.status === "fail")) setExitCode(1);
    });
}
