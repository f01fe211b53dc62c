import { type Command, Option } from "commander";
import type { UsageGrouping, UsageRow } from "../usage/index.js";
import { cliPaths, type GlobalOptions } from "./cli-context.js";
import { callGateway, runningGatewayUrl } from "./gateway-api.js";
import { formatTable, printJson } from "./output.js";
import { parseSince } from "./time-options.js";

interface UsageOptions {
  agent?: string;
  since?: string;
  by: UsageGrouping;
  json?: boolean;
}

function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

function usageTable(rows: UsageRow[], by: UsageGrouping): string {
  const table = [
    [by.toUpperCase(), "TURNS", "CALLS", "INPUT", "OUTPUT", "CACHED", "LATENCY AVG", "P50", "P95", "MAX"],
  ];
  for (const row of rows) {
    const latency = row.latencyMs;
    table.push([
      row.key,
      formatCount(row.turns),
      formatCount(row.modelCalls),
      formatCount(row.inputTokens),
      formatCount(row.outputTokens),
      formatCount(row.cachedInputTokens),
      latency ? `${latency.avg} ms` : "-",
      latency ? `${latency.p50} ms` : "-",
      latency ? `${latency.p95} ms` : "-",
      latency ? `${latency.max} ms` : "-",
    ]);
  }
  return formatTable(table);
}

/**
 * `openclaw usage`: token counts (input, output, cached) and model latency per agent, session or
 * model, from the providers' own usage figures. Asks the running gateway (which flushes its
 * ledger first), else queries the state dir's storage itself.
 */
export function registerUsageCommand(program: Command): void {
  program
    .command("usage")
    .description("token usage and model latency per agent, session or model")
    .option("--agent <id>", "only this agent")
    .option("--since <when>", "since a duration ago (24h, 7d) or a date")
    .addOption(
      new Option("--by <grouping>", "one row per").choices(["agent", "session", "model"]).default("agent"),
    )
    .option("--json", "print JSON")
    .action(async (options: UsageOptions) => {
      const since = options.since ? parseSince(options.since) : undefined;
      let rows: UsageRow[];
      if (await runningGatewayUrl()) {
        const query = new URLSearchParams({ by: options.by });
        if (options.agent) query.set("agent", options.agent);
        if (since !== undefined) query.set("since", String(since));
        ({ rows } = (await callGateway(`/__openclaw__/usage?${query}`, "GET")) as { rows: UsageRow[] });
      } else {
        const { stateDir } = cliPaths(program.opts<GlobalOptions>());
        const [{ createFileStorage }, { summarizeUsage }] = await Promise.all([
          import("../storage/files/file-storage.js"),
          import("../usage/index.js"),
        ]);
        const storage = createFileStorage(stateDir);
        const range = {
          ...(options.agent ? { agent: options.agent } : {}),
          ...(since !== undefined ? { since } : {}),
        };
        const { entries, damage } = await storage.usage.query(range).finally(() => storage.close());
        for (const report of damage) {
          process.stderr.write(
            `warning: ${report.file}: ${report.count} unreadable line(s) not counted (line ${report.lines.map((line) => line.line).join(", ")})\n`,
          );
        }
        rows = summarizeUsage(entries, { by: options.by, ...range });
      }
      if (options.json) printJson({ by: options.by, rows });
      else if (rows.length === 0) process.stdout.write("no usage recorded yet\n");
      else process.stdout.write(`${usageTable(rows, options.by)}\n`);
    });
}
