import { type Diagnostic, ok, warn } from "./diagnostic.js";
import type { RetentionFact } from "./facts.js";

const ID = "session-retention";

/** What transcript retention last removed, and whether <state>/sessions is still over its bounds. */
export function checkSessionRetention(retention: RetentionFact | undefined): Diagnostic[] {
  if (!retention) return [];
  if (retention.error) {
    return [
      warn(
        ID,
        `session retention could not sweep <state>/sessions at ${retention.at}: ${retention.error}`,
        "check that the gateway's user owns <state>/sessions; it tries again every hour",
      ),
    ];
  }
  const summary =
    `session retention at ${retention.at} removed ${retention.removedFiles} transcript(s) (${retention.removedMb} MB); ` +
    `${retention.keptFiles} kept (${retention.keptMb} MB)`;
  if (retention.overLimit.length > 0) {
    return [
      warn(
        ID,
        `${summary}, ${retention.overLimit.join(" and ")} still above the size bound`,
        retention.overLimit.includes("requests")
          ? "today's request transcript is never removed while it is written: raise sessions.retention.requests.maxTotalMb, or expect it to go tomorrow"
          : "the session transcripts left are being written; they go at a later sweep",
      ),
    ];
  }
  return [ok(ID, summary)];
}
