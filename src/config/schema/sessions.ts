import { z } from "zod";

const RETENTION_MAX_DAYS = 36_500;
const RETENTION_MAX_MB = 10_485_760;
const retentionDays = () => z.number().int().min(1).max(RETENTION_MAX_DAYS);
const retentionMb = () => z.number().positive().max(RETENTION_MAX_MB);

export const SessionsSchema = z.strictObject({
  retention: z
    .strictObject({
      maxAgeDays: retentionDays()
        .optional()
        .describe(
          "Session transcripts (one file per session key) not written to for this many days are deleted. Unset (the default): kept, as a session's transcript is the only copy of its conversation.",
        ),
      maxTotalMb: retentionMb()
        .optional()
        .describe(
          "Session transcripts together are kept under this size, the least recently written deleted first. Unset (the default): no bound. Request transcripts are bounded on their own (requests).",
        ),
      requests: z
        .strictObject({
          maxAgeDays: retentionDays()
            .prefault(7)
            .describe("Days of request transcripts kept, today's included."),
          maxTotalMb: retentionMb()
            .prefault(1024)
            .describe(
              "Request transcripts together are kept under this size, the oldest day deleted first; today's file is never deleted, so it can exceed this on its own.",
            ),
        })
        .prefault({})
        .describe(
          "Transcripts of stateless requests (<state>/sessions/requests-YYYY-MM-DD.jsonl): bounded by default, as they grow with the request rate (about 0.7 KB a turn) and nobody reads them back by key.",
        ),
    })
    .prefault({})
    .describe(
      "What is deleted from <state>/sessions, at start and every hour, oldest first; a file being written never is. `openclaw status` shows what was last removed.",
    ),
});
