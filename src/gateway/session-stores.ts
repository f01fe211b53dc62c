import type { OpenClawConfig } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import type { Redactor } from "../secrets/index.js";
import { retentionPolicyOf, SessionRetention, TranscriptStore } from "../sessions/index.js";
import type { Storage } from "../storage/index.js";
import { logRetentionSweep } from "./retention-report.js";
import { logDamagedTranscript } from "./state-dir-log.js";

/**
 * The transcripts (redacted as written, damaged lines reported) and their retention (the
 * config's policy, read at each sweep), over the gateway's storage.
 */
export function sessionStores(options: {
  storage: Storage;
  redactor: Redactor;
  logger: Logger;
  config(): OpenClawConfig;
}): { transcripts: TranscriptStore; retention: SessionRetention } {
  const { logger, redactor } = options;
  const transcripts = new TranscriptStore(options.storage.transcripts, {
    redact: (value) => redactor.redactValue(value),
    onDamagedLines: (report) => logDamagedTranscript(logger, report),
  });
  const retention = new SessionRetention(transcripts, {
    policy: () => retentionPolicyOf(options.config().sessions),
    onSweep: (sweep) => logRetentionSweep(logger, sweep),
  });
  return { transcripts, retention };
}
