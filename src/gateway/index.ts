export { connectHost, httpUrl, isLoopbackAddress, normalizeAddress } from "./client-address.js";
export { Gateway, type GatewayOptions, type GatewayStarted } from "./gateway.js";
export {
  type GatewayRuntimeState,
  isProcessAlive,
  readRuntimeState,
  removeRuntimeState,
  runtimeStatePath,
} from "./runtime-state.js";
export type { StatusReport } from "./status-report.js";
export { MIN_PROTOCOL_VERSION, PROTOCOL_VERSION } from "./ws/frames.js";
