export {
  DEFAULT_PROBE_INTERVAL_MS,
  StateDirHealth,
  type StateDirHealthOptions,
  type StateDirHealthSnapshot,
  type StateWriter,
  type WriteOutcomeReporter,
} from "./state-dir-health.js";
export { asStateWriteError, type StateWriteContext, stateWriteError } from "./state-write-error.js";
export { type StorageFailure, type StorageFailureCode, storageFailureOf } from "./write-failure.js";
export { probePath, probeStateDirWrite } from "./write-probe.js";
