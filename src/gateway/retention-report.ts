import type { Logger } from "../logging/index.js";
import { megabytes, type RetentionSweep } from "../sessions/index.js";

/** One log line per sweep that did something or could not: a quiet sweep says nothing. */
export function logRetentionSweep(logger: Logger, sweep: RetentionSweep): void {
  const fields = {
    removedFiles: sweep.removedFiles,
    removedMb: megabytes(sweep.removedBytes),
    keptFiles: sweep.keptFiles,
    keptMb: megabytes(sweep.keptBytes),
    ...(sweep.skippedBusy > 0 ? { skippedBusy: sweep.skippedBusy } : {}),
  };
  if (sweep.error) {
    logger.warn({ ...fields, error: sweep.error }, "session retention could not sweep <state>/sessions");
    return;
  }
  if (sweep.removedFiles > 0)
    logger.info(
      { ...fields, files: sweep.removed.map((entry) => entry.file) },
      "session retention removed old transcripts",
    );
  for (const kind of sweep.overLimit) {
    logger.warn(
      fields,
      kind === "requests"
        ? "request transcripts are above sessions.retention.requests.maxTotalMb: today's file is never removed while it is written"
        : "session transcripts are above sessions.retention.maxTotalMb: the ones left are being written",
    );
  }
}
