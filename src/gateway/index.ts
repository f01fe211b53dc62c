export { connectHost, httpUrl, isLoopbackAddress, normalizeAddress } from "./client-address.js";
export { type ConfiguredStorageOptions, openConfiguredStorage } from "./configured-storage.js";
export { Gateway, type GatewayOptions, type GatewayStarted } from "./gateway.js";
export {
  checkGatewayProcess,
  isGatewayCommandLine,
  type ProcessIdentity,
  type ProcessVerdict,
} from "./process-identity.js";
export {
  type GatewayRuntimeState,
  inspectRuntimeState,
  type RuntimeStateReading,
  readRuntimeState,
  removeRuntimeState,
  runtimeStatePath,
  verifyRuntimeState,
} from "./runtime-state.js";
export type { StatusReport } from "./status-report.js";
export { MIN_PROTOCOL_VERSION, PROTOCOL_VERSION } from "./ws/frames.js";
