import type { Command } from "commander";
import type { CronJobView, CronRun } from "../automation/cron/index.js";
import { describeSchedule } from "../automation/cron/index.js";
import { OpenClawError } from "../errors.js";
import { callGateway } from "./gateway-api.js";
import { formatTable, printJson } from "./output.js";

interface JobOptions {
  name?: string;
  agent?: string;
  every?: string;
  cron?: string;
  tz?: string;
  at?: string;
  message?: string;
  session?: string;
  deliver?: string;
  channel?: string;
  to?: string;
  account?: string;
  deliverOff?: boolean;
  missed?: string;
  enable?: boolean;
  disable?: boolean;
  json?: boolean;
}

function scheduleOf(options: JobOptions): Record<string, string> | undefined {
  const given = [options.every, options.cron, options.at].filter((value) => value !== undefined).length;
  if (given > 1)
    throw new OpenClawError("OC_ERR_USAGE", "give one of --every, --cron and --at", {
      hint: "a job has one schedule",
    });
  if (options.every !== undefined) return { every: options.every };
  if (options.cron !== undefined) return { cron: options.cron, ...(options.tz ? { tz: options.tz } : {}) };
  if (options.at !== undefined) return { at: options.at, ...(options.tz ? { tz: options.tz } : {}) };
  if (options.tz) throw new OpenClawError("OC_ERR_USAGE", "--tz goes with --cron or --at");
  return undefined;
}

/** `--deliver telegram:42`, or OpenClaw's `--channel telegram --to 42` (`--account`). */
function deliveryOf(options: JobOptions): Record<string, string> | string | undefined {
  if (options.deliver !== undefined && (options.channel || options.to))
    throw new OpenClawError("OC_ERR_USAGE", "give --deliver or --channel/--to, not both");
  if (options.channel || options.to) {
    if (!options.channel || !options.to)
      throw new OpenClawError("OC_ERR_USAGE", "--channel and --to go together", {
        hint: "e.g. --channel telegram --to 123456789",
      });
    return {
      channel: options.channel,
      target: options.to,
      ...(options.account ? { accountId: options.account } : {}),
    };
  }
  if (options.deliver !== undefined && options.account) {
    const split = options.deliver.indexOf(":");
    return {
      channel: options.deliver.slice(0, split),
      target: options.deliver.slice(split + 1),
      accountId: options.account,
    };
  }
  return options.deliver;
}

function bodyOf(options: JobOptions): Record<string, unknown> {
  const schedule = scheduleOf(options);
  const deliver = deliveryOf(options);
  return {
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.agent !== undefined ? { agentId: options.agent } : {}),
    ...(schedule ? { schedule } : {}),
    ...(options.message !== undefined ? { message: options.message } : {}),
    ...(options.session !== undefined ? { session: options.session } : {}),
    ...(deliver !== undefined ? { deliver } : {}),
    ...(options.deliverOff ? { deliver: null } : {}),
    ...(options.missed !== undefined ? { missed: options.missed } : {}),
    ...(options.enable ? { enabled: true } : {}),
    ...(options.disable ? { enabled: false } : {}),
  };
}

const when = (ms: number | undefined) => (ms === undefined ? "-" : new Date(ms).toISOString());

function printJobs(jobs: CronJobView[]): void {
  if (jobs.length === 0) {
    process.stdout.write("no cron jobs (add one with `openclaw cron add`)\n");
    return;
  }
  const rows = [["ID", "NAME", "AGENT", "SCHEDULE", "SESSION", "DELIVER", "ENABLED", "NEXT RUN"]];
  for (const job of jobs) {
    rows.push([
      job.id,
      job.name,
      job.agentId,
      describeSchedule(job.schedule),
      job.session.kind === "key" ? `session:${job.session.sessionKey}` : job.session.kind,
      job.deliver ? `${job.deliver.channel}:${job.deliver.target}` : "-",
      job.enabled ? "yes" : "no",
      when(job.nextRunAtMs),
    ]);
  }
  process.stdout.write(`${formatTable(rows)}\n`);
}

function printRuns(runs: CronRun[]): void {
  if (runs.length === 0) {
    process.stdout.write("no runs yet\n");
    return;
  }
  const rows = [["SLOT", "TRIGGER", "STARTED", "OUTCOME", "DURATION", "RUN ID", "ERROR"]];
  for (const run of runs) {
    rows.push([
      when(run.slotMs),
      run.trigger,
      when(run.startedAtMs),
      run.outcome,
      run.durationMs === undefined ? "-" : `${run.durationMs}ms`,
      run.runId ?? "-",
      run.error ?? "",
    ]);
  }
  process.stdout.write(`${formatTable(rows)}\n`);
}

function scheduleFlags(command: Command): Command {
  return command
    .option("--every <duration>", "a recurring interval: 1s, 10m, 1h, 1d")
    .option("--cron <expression>", "a five- or six-field cron expression")
    .option("--tz <zone>", "the IANA time zone of --cron (and of an offset-less --at)")
    .option("--at <iso>", "one run at this instant (ISO 8601; offset-less: UTC unless --tz)")
    .option("--message <text>", "what the agent is told at each run")
    .option("--session <target>", "isolated (a fresh session per run), main, or session:<key>")
    .option("--deliver <channel:target>", "send the reply there, e.g. telegram:123456789")
    .option("--channel <id>", "OpenClaw's spelling: the delivery channel (with --to)")
    .option("--to <target>", "OpenClaw's spelling: the delivery target on --channel")
    .option("--account <id>", "the delivery channel's account (default: its default one)")
    .option("--announce", "OpenClaw's flag for delivering the reply: implied by --channel/--to here")
    .option("--missed <policy>", "slots missed while the gateway was down: skip (default) or runOnce")
    .option("--json", "print JSON");
}

/**
 * `openclaw cron`, and the same commands as `openclaw automations` (OpenClaw's two spellings):
 * the command table lists both names and loads this module under the one asked for.
 */
export function registerCronCommands(program: Command, name: "cron" | "automations" = "cron"): void {
  const cron = program
    .command(name)
    .description("scheduled agent turns (cron jobs): add, list, edit, rm, run, runs");
  scheduleFlags(
    cron
      .command("add")
      .alias("create")
      .description("add a cron job")
      .requiredOption("--name <name>", "the job's name (unique)")
      .option("--agent <id>", "the agent that runs it (default: the default agent)"),
  )
    .option("--disabled", "add it disabled")
    .action(async (options: JobOptions & { disabled?: boolean }) => {
      const body = bodyOf(options);
      if (options.disabled) body.enabled = false;
      const { job } = (await callGateway("/__openclaw__/cron", "POST", body)) as { job: CronJobView };
      if (options.json) printJson(job);
      else
        process.stdout.write(`added cron job ${job.name} (${job.id}), next run ${when(job.nextRunAtMs)}\n`);
    });
  cron
    .command("list")
    .alias("ls")
    .description("list the cron jobs")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const { jobs } = (await callGateway("/__openclaw__/cron", "GET")) as { jobs: CronJobView[] };
      if (options.json) printJson(jobs);
      else printJobs(jobs);
    });
  scheduleFlags(
    cron
      .command("edit <job>")
      .description("change a cron job (by id or name): only the flags given change")
      .option("--name <name>", "a new name")
      .option("--agent <id>", "another agent"),
  )
    .option("--no-deliver", "stop delivering the reply")
    .option("--enable", "enable it")
    .option("--disable", "disable it")
    .action(async (job: string, options: Omit<JobOptions, "deliver"> & { deliver?: string | false }) => {
      const { deliver, ...rest } = options;
      const patch = bodyOf({
        ...rest,
        ...(deliver === false ? { deliverOff: true } : deliver ? { deliver } : {}),
      });
      const answer = (await callGateway("/__openclaw__/cron/edit", "POST", { job, patch })) as {
        job: CronJobView;
      };
      if (options.json) printJson(answer.job);
      else
        process.stdout.write(
          `updated cron job ${answer.job.name}, next run ${when(answer.job.nextRunAtMs)}\n`,
        );
    });
  cron
    .command("rm <job>")
    .alias("remove")
    .description("remove a cron job (its run history stays)")
    .option("--json", "print JSON")
    .action(async (job: string, options: { json?: boolean }) => {
      const answer = (await callGateway("/__openclaw__/cron/remove", "POST", { job })) as {
        removed: CronJobView;
      };
      if (options.json) printJson(answer);
      else process.stdout.write(`removed cron job ${answer.removed.name}\n`);
    });
  cron
    .command("run <job>")
    .description("run a cron job now, outside its schedule, and wait for it")
    .option("--json", "print JSON")
    .action(async (job: string, options: { json?: boolean }) => {
      const { run } = (await callGateway("/__openclaw__/cron/run", "POST", { job })) as { run: CronRun };
      if (options.json) printJson(run);
      else
        process.stdout.write(
          `run ${run.runId}: ${run.outcome} in ${run.durationMs ?? 0}ms${run.error ? `: ${run.error}` : ""}\n`,
        );
    });
  cron
    .command("runs <job>")
    .description("a cron job's run history, newest first")
    .option("--limit <n>", "at most this many runs")
    .option("--json", "print JSON")
    .action(async (job: string, options: { json?: boolean; limit?: string }) => {
      const query = new URLSearchParams({ job, ...(options.limit ? { limit: options.limit } : {}) });
      const { runs } = (await callGateway(`/__openclaw__/cron/runs?${query}`, "GET")) as { runs: CronRun[] };
      if (options.json) printJson(runs);
      else printRuns(runs);
    });
}
