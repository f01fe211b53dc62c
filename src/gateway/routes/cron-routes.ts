import type { FastifyInstance } from "fastify";
import { type CronService, cronInputOf, cronPatchOf } from "../../automation/cron/index.js";
import { OpenClawError } from "../../errors.js";
import { OPERATOR_ADMIN, OPERATOR_READ, withAccess } from "../access/route-access.js";

type Body = Record<string, unknown> | undefined;

function jobOf(value: unknown): string {
  if (typeof value !== "string" || value.trim() === "")
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "job must be a cron job's id or name", {
      hint: "see `openclaw cron list`",
    });
  return value;
}

/**
 * Cron jobs for operators (`openclaw cron …`). Reading needs operator.read; every change and a
 * run by hand need operator.admin, as OpenClaw's cron mutations do: a job runs turns unattended.
 */
export function registerCronRoutes(server: FastifyInstance, deps: { cron: CronService }): void {
  server.get("/__openclaw__/cron", withAccess(OPERATOR_READ), async () => ({ jobs: await deps.cron.list() }));
  server.post<{ Body: Body }>("/__openclaw__/cron", withAccess(OPERATOR_ADMIN), async (request, reply) => {
    const job = await deps.cron.add(cronInputOf(request.body ?? {}));
    return reply.status(201).send({ job });
  });
  server.post<{ Body: Body }>("/__openclaw__/cron/edit", withAccess(OPERATOR_ADMIN), async (request) => {
    const body = request.body ?? {};
    const patch = (body.patch ?? {}) as Record<string, unknown>;
    return { job: await deps.cron.edit(jobOf(body.job), cronPatchOf(patch)) };
  });
  server.post<{ Body: Body }>("/__openclaw__/cron/remove", withAccess(OPERATOR_ADMIN), async (request) => ({
    removed: await deps.cron.remove(jobOf(request.body?.job)),
  }));
  server.post<{ Body: Body }>("/__openclaw__/cron/run", withAccess(OPERATOR_ADMIN), async (request) => ({
    run: await deps.cron.run(jobOf(request.body?.job)),
  }));
  server.get<{ Querystring: { job?: string; limit?: string } }>(
    "/__openclaw__/cron/runs",
    withAccess(OPERATOR_READ),
    async (request) => {
      const limit = request.query.limit === undefined ? undefined : Number(request.query.limit);
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
        throw new OpenClawError("OC_ERR_BAD_REQUEST", "limit must be a positive integer");
      return deps.cron.runs(jobOf(request.query.job), limit);
    },
  );
}
