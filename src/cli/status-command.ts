import type { Command } from "commander";
import { isOpenClawError } from "../errors.js";
import type { RetentionSummary } from "../sessions/index.js";
import type { GlobalOptions } from "./cli-context.js";
import { configInUse, otherFileNote } from "./config-in-use.js";
import { fetchJson } from "./daemon.js";
import { formatDuration, formatTable } from "./output.js";

interface LiveAgent {
  id: string;
  state: string;
  model: string;
  placement: string;
  reason?: string;
}

/** One line: what transcript retention last removed, and what is left. */
function describeRetention(retention: RetentionSummary): string {
  if (retention.error) return `sessions: retention failed at ${retention.at}: ${retention.error}`;
  const notes = [
    ...(retention.skippedBusy > 0 ? [`${retention.skippedBusy} due but being written`] : []),
    ...retention.overLimit.map((kind) => `${kind} above sessions.retention's size bound`),
  ];
  return (
    `sessions: retention at ${retention.at} removed ${retention.removedFiles} transcript(s) (${retention.removedMb} MB); ` +
    `${retention.keptFiles} kept (${retention.keptMb} MB)${notes.length > 0 ? `; ${notes.join(", ")}` : ""}`
  );
}

/** `openclaw status`: the config, whether the gateway runs, and each agent's state. */
export function registerStatusCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("status")
    .description("config, gateway and agents at a glance")
    .action(async () => {
      const inUse = await configInUse(program.opts<GlobalOptions>());
      const paths = inUse;
      // Not ../config/index.js, which loads zod and builds the schema: a cache hit needs neither.
      const { loadConfigFileCached } = await import("../config/validated-cache.js");
      const { resolveAgentConfigs } = await import("../config/agents.js");
      const byGateway = inUse.running && !inUse.runningConfigPath ? " (used by the running gateway)" : "";
      process.stdout.write(`config: ${paths.configPath}${byGateway}\n`);
      const note = otherFileNote(inUse);
      if (note) process.stdout.write(`${note}\n`);
      let configuredAgents: string[] = [];
      try {
        const loaded = await loadConfigFileCached(paths.configPath, paths.stateDir);
        configuredAgents = resolveAgentConfigs(loaded.config).map((agent) => agent.id);
        process.stdout.write(`config: ${loaded.exists ? "valid" : "not found (built-in defaults)"}\n`);
      } catch (error) {
        process.stdout.write(`config: INVALID: ${isOpenClawError(error) ? error.message : String(error)}\n`);
        setExitCode(2);
      }
      process.stdout.write(`state dir: ${paths.stateDir}\n`);
      const { running } = inUse;
      if (!running) {
        process.stdout.write(`gateway: not running (start it with \`openclaw gateway start\`)\n`);
        if (configuredAgents.length)
          process.stdout.write(`agents (configured): ${configuredAgents.join(", ")}\n`);
        return;
      }
      const status = (await fetchJson(
        `${running.url}/__openclaw__/status`,
        2000,
        paths.stateDir,
        running.tlsCertPath,
      )) as {
        uptimeMs: number;
        agents: LiveAgent[];
        memory?: { agentId: string; state?: string; failure?: string; fix?: string }[] | null;
        mcp?: { sessions: { agentId: string; server: string; state: string; error?: string }[] };
        sessions?: { retention: RetentionSummary | null };
        stateDir?: {
          writable: boolean;
          code?: string;
          reason?: string;
          failingSince?: string;
          file?: string;
        };
        config?: {
          pending: { hash: string; weakening: { path: string }[] } | null;
          file?: { valid: boolean; differs: boolean };
        };
      };
      process.stdout.write(
        `gateway: running (pid ${running.pid}) at ${running.url}, up ${formatDuration(status.uptimeMs)}\n`,
      );
      const storage = status.stateDir;
      if (storage && !storage.writable) {
        process.stdout.write(
          `state dir: writes FAIL since ${storage.failingSince} (${storage.code}: ${storage.reason}${storage.file ? `, on ${storage.file}` : ""}); turns answer 507 until space is freed (df -h ${paths.stateDir})\n`,
        );
      }
      const pending = status.config?.pending;
      if (pending) {
        const paths = pending.weakening.map((change) => change.path).join(", ");
        process.stdout.write(
          `config: a change is held, it weakens the security boundary (${paths}): apply it with \`openclaw config apply --hash ${pending.hash}\`, or restart the gateway\n`,
        );
      }
      const file = status.config?.file;
      if (file?.differs && !pending) {
        process.stdout.write(
          file.valid
            ? "config: the file on disk is newer than the running config (it is being applied, or was rejected: see `openclaw logs --level warn`)\n"
            : "config: the file on disk is invalid; the gateway keeps running the last valid version (`openclaw config validate` shows why)\n",
        );
      }
      const retention = status.sessions?.retention;
      if (retention) process.stdout.write(`${describeRetention(retention)}\n`);
      const rows = [["AGENT", "STATE", "MODEL", "PLACEMENT", "REASON"]];
      for (const agent of status.agents) {
        rows.push([agent.id, agent.state, agent.model, agent.placement, agent.reason?.split("\n")[0] ?? ""]);
      }
      process.stdout.write(`${formatTable(rows)}\n`);
      for (const store of status.memory ?? []) {
        if (store.state !== "failed") continue;
        process.stdout.write(`memory: agent ${store.agentId}: ${store.failure}; fix: ${store.fix}\n`);
      }
      for (const session of status.mcp?.sessions ?? []) {
        const why = session.state === "failed" ? `: ${session.error ?? "unknown reason"}` : "";
        process.stdout.write(
          `mcp: agent ${session.agentId}: server ${session.server} ${session.state}${why}\n`,
        );
      }
    });
}
