import { type CronService, cronInputOf, cronPatchOf } from "../../../automation/cron/index.js";
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
        return { jobs: shown, total: shown.length };
      },
    },
    "cron.add": {
      role: "operator",
      scope: "operator.admin",
      handle: async ({ params }) => cron.add(cronInputOf(params)),
    },
    "cron.update": {
      role: "operator",
      scope: "operator.admin",
      handle: async ({ params }) =>
        cron.edit(jobOf(params), cronPatchOf((params.patch ?? {}) as Record<string, unknown>)),
    },
    "cron.remove": {
      role: "operator",
      scope: "operator.admin",
      handle: async ({ params }) => ({ ok: true, removed: true, id: (await cron.remove(jobOf(params))).id }),
    },
    "cron.run": {
      role: "operator",
      scope: "operator.admin",
      handle: async ({ params }) => ({ ok: true, ran: true, run: await cron.run(jobOf(params)) }),
    },
    "cron.runs": {
      role: "operator",
      scope: "operator.read",
      handle: async ({ params }) => {
        const limit = typeof params.limit === "number" ? params.limit : undefined;
        const { job, runs } = await cron.runs(jobOf(params), limit);
        return { jobId: job.id, entries: runs, total: runs.length };
      },
    },
  };
}
