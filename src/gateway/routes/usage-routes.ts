import type { FastifyInstance } from "fastify";
import { OpenClawError } from "../../errors.js";
import { readUsage, summarizeUsage, type UsageGrouping } from "../../usage/index.js";
import { OPERATOR_READ, withAccess } from "../access/route-access.js";
import type { GatewayContext } from "../gateway-context.js";

const GROUPINGS: UsageGrouping[] = ["agent", "session", "model"];

/**
 * Token usage and model latency (`openclaw usage`): the ledger is flushed first, so a turn that
 * just ended is counted.
 */
export function registerUsageRoutes(server: FastifyInstance, context: GatewayContext): void {
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
      await context.usage.flush();
      const entries = await readUsage(context.stateDir, sinceMs, (report) =>
        context.logger.warn(report, `usage ledger has ${report.count} unreadable line(s), not counted`),
      );
      return {
        by,
        rows: summarizeUsage(entries, {
          by: by as UsageGrouping,
          ...(agent ? { agent } : {}),
          ...(sinceMs !== undefined ? { since: sinceMs } : {}),
        }),
      };
    },
  );
}
