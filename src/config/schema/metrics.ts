import { z } from "zod";

export const MetricsSchema = z.strictObject({
  enabled: z.boolean().prefault(true).describe("Serve GET /metrics (Prometheus text format)."),
  public: z
    .boolean()
    .prefault(false)
    .describe(
      "Serve /metrics without auth, for a scraper that cannot send the token; it names agents, models and tools.",
    ),
});
