export { RESERVED_SESSION_NAMESPACES, reservedNamespaceOf } from "./reserved-namespaces.js";
export {
  emptySweep,
  megabytes,
  type RetentionSummary,
  summarizeRetention,
} from "./retention-summary.js";
export {
  agentIdOfSessionKey,
  type ChannelConversation,
  channelSessionKey,
  type DmScope,
  type GroupScope,
  isEphemeralSessionKey,
  nodeIdOfSessionKey,
  type ParsedSessionKey,
  parseSessionKey,
  sessionKeys,
} from "./session-key.js";
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
  type TranscriptStoreOptions,
  validateSessionKey,
} from "./transcript-store.js";
