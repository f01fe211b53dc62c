import {
  type CronService,
  cronInputOf,
  cronPatchOf,
  protocolJob,
  protocolRun,
} from "../../../automation/cron/index.js";
import type { MethodTable } from "./method-definition.js";

export interface CronMethodsDeps {
  cron: CronService;
}

/** `id` or OpenClaw's older `jobId`: the protocol accepts both (params are validated before). */
function jobOf(params: Record<string, unknown>): string {
  return String(params.id ?? params.jobId);
}

/**
 * OpenClaw's cron.* methods over this gateway's CronService: jobs with agentTurn payloads
 * (`systemEvent` and `command` payloads are refused with a clear error). Mutations need
 * operator.admin, as OpenClaw's own classification has them.
 */
export function cronMethods(deps: CronMethodsDeps): MethodTable {
  const { cron } = deps;
  return {
    "cron.list": {
      role: "operator",
      scope: "operator.read",
      handle: async ({ params }) => {
        const jobs = await cron.list();
        const agentId = typeof params.agentId === "string" ? params.agentId : undefined;
        const shown = jobs.filter(
          (job) => (params.includeDisabled === true || job.enabled) && (!agentId || job.agentId === agentId),
        );
        return { jobs: shown.map(protocolJob), total: shown.length };
      },
    },
    "cron.add": {
      role: "operator",
      scope: "operator.admin",
      handle: async ({ params }) => protocolJob(await cron.add(cronInputOf(params))),
    },
    "cron.update": {
      role: "operator",
      scope: "operator.admin",
      handle: async ({ params }) =>
        protocolJob(
          await cron.edit(jobOf(params), cronPatchOf((params.patch ?? {}) as Record<string, unknown>)),
        ),
    },
    "cron.remove": {
      role: "operator",
      scope: "operator.admin",
      handle: async ({ params }) => ({ ok: true, removed: true, id: (await cron.remove(jobOf(params))).id }),
    },
    "cron.run": {
      role: "operator",
      scope: "operator.admin",
      handle: async ({ params }) => {
        const run = await cron.run(jobOf(params));
        return { ok: true, ran: true, run: protocolRun(run, await cron.get(run.jobId)) };
      },
    },
    "cron.runs": {
      role: "operator",
      scope: "operator.read",
      handle: async ({ params }) => {
        const limit = typeof params.limit === "number" ? params.limit : undefined;
        const { job, runs } = await cron.runs(jobOf(params), limit);
        // The protocol's log holds finished runs; one still going is not in it yet.
        const entries = runs.filter((run) => run.outcome !== "running").map((run) => protocolRun(run, job));
        return { jobId: job.id, entries, total: entries.length };
      },
    },
  };
}
