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
