import type { FastifyInstance } from "fastify";
import type { DamageReport } from "../../append-only/index.js";
import { OpenClawError } from "../../errors.js";
import type { UsageRepository } from "../../storage/usage-repository.js";
import { summarizeUsage, type UsageGrouping } from "../../usage/index.js";
import { OPERATOR_READ, withAccess } from "../access/route-access.js";

const GROUPINGS: UsageGrouping[] = ["agent", "session", "model"];

export interface UsageRouteDeps {
  /**
   * The ledger (UsageLedger fits): flushed first, so that a turn that just ended is counted,
   * then read through its repository, whichever backend keeps the sums.
   */
  ledger: { flush(): Promise<void>; readonly repository: UsageRepository };
  /** Sums that could not be counted (a torn or foreign line): the gateway logs them. */
  onDamage?: (report: DamageReport) => void;
}

/** Token usage and model latency (`openclaw usage`). */
export function registerUsageRoutes(server: FastifyInstance, deps: UsageRouteDeps): void {
  server.get<{ Querystring: { agent?: string; since?: string; by?: string } }>(
    "/__openclaw__/usage",
    withAccess(OPERATOR_READ),
    async (request) => {
      const { agent, since, by = "agent" } = request.query;
      if (!GROUPINGS.includes(by as UsageGrouping)) {
        throw new OpenClawError("OC_ERR_BAD_REQUEST", `by must be one of ${GROUPINGS.join(", ")}`);
      }
      const sinceMs = since === undefined ? undefined : Number(since);
      if (sinceMs !== undefined && !Number.isFinite(sinceMs)) {
        throw new OpenClawError("OC_ERR_BAD_REQUEST", "since must be epoch milliseconds");
      }
      await deps.ledger.flush();
      const range = { ...(agent ? { agent } : {}), ...(sinceMs !== undefined ? { since: sinceMs } : {}) };
      const { entries, damage } = await deps.ledger.repository.query(range);
      for (const report of damage) deps.onDamage?.(report);
      return { by, rows: summarizeUsage(entries, { by: by as UsageGrouping, ...range }) };
    },
  );
}
