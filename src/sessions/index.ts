export {
  emptySweep,
  megabytes,
  type RetentionSummary,
  summarizeRetention,
} from "./retention-summary.js";
export {
  RETENTION_INTERVAL_MS,
  type RetentionPolicy,
  type RetentionSweep,
  retentionPolicyOf,
  SessionRetention,
  type SessionRetentionOptions,
  sweepTranscripts,
  type TranscriptFiles,
} from "./session-retention.js";
export {
  entryToMessage,
  type TranscriptEntry,
} from "./transcript-entry.js";
export {
  EPHEMERAL_SESSION_MARKER,
  MAX_SESSION_KEY_LENGTH,
  type SessionSummary,
  sessionFileName,
  TranscriptStore,
  validateSessionKey,
} from "./transcript-store.js";
