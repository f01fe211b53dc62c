import { z } from "zod";

/**
 * Several gateways on one shared storage (`storage.kind: "postgres"`): how the others reach this
 * one, and the timings of announcements and session leases. Without a shared storage the
 * section is read but nothing of it runs.
 */
export const ClusterSchema = z.strictObject({
  advertiseUrl: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      "Where the other replicas reach this one for a forwarded turn (e.g. http://10.0.3.7:18789, a pod's address); by default the listen address.",
    ),
  announceIntervalMs: z
    .number()
    .int()
    .min(500)
    .max(60_000)
    .prefault(3000)
    .describe("How often this replica announces itself; it counts as gone after three missed announcements."),
  sessionLeaseTtlMs: z
    .number()
    .int()
    .min(2000)
    .max(10_000)
    .prefault(8000)
    .describe(
      "How long a session stays leased to this replica without renewal: after a crash, another replica takes the session within this time.",
    ),
  sessionIdleReleaseMs: z
    .number()
    .int()
    .min(0)
    .max(600_000)
    .prefault(30_000)
    .describe(
      "How long an idle session stays leased here, so a conversation's turns keep running on one replica.",
    ),
});
