export { localTokenPath, resolveAuthMode } from "./auth-mode.js";
export {
  type AuthAttempt,
  Authenticator,
  type AuthMode,
  type AuthOutcome,
  type AuthSettings,
  type Principal,
} from "./authenticator.js";
export {
  type CapabilityGrant,
  CapabilityIssuer,
  type CapabilityIssuerOptions,
  type CapabilityRefusal,
  type CapabilitySurface,
  type CapabilityVerdict,
} from "./capabilities.js";
export {
  type CapabilityStorage,
  CapabilitySync,
  type CapabilitySyncOptions,
  REVOCATION_TOPIC,
} from "./capability-sync.js";
export {
  ClusterFailureLimiter,
  type ClusterFailureLimiterOptions,
  LOCKOUT_TOPIC,
} from "./cluster-failure-limiter.js";
export { safeEqual } from "./constant-time.js";
export {
  buildDeviceAuthPayload,
  canonicalDevicePublicKey,
  DEFAULT_DEVICE_SIGNATURE_MAX_SKEW_MS,
  type DeviceAuthPayloadParams,
  type DeviceAuthPayloadVersion,
  type DeviceIdentity,
  type DeviceSignatureInput,
  type DeviceSignatureRefusal,
  type DeviceSignatureResult,
  deviceIdFromPublicKey,
  generateDeviceIdentity,
  signDevicePayload,
  verifyDeviceSignature,
} from "./device-identity.js";
export {
  type GatewayTokenFile,
  gatewayTokenFileError,
  gatewayTokenFingerprint,
  gatewayTokenPath,
  inspectGatewayTokenFile,
  type LoadedGatewayToken,
  loadOrCreateGatewayToken,
  readGatewayToken,
} from "./gateway-token.js";
export {
  DEFAULT_MAX_PENDING_NODES,
  NODES_FILE_NAME,
  type NodeChangeListener,
  type NodeRecord,
  NodeRegistry,
  type NodeRegistryOptions,
  type NodeRequest,
  type NodeStatus,
} from "./node-registry.js";
export {
  DEFAULT_MAX_KEYS,
  type FailureOutcome,
  FailureRateLimiter,
  type FailureRateLimiterOptions,
  type RateLimitCheck,
} from "./rate-limiter.js";
export {
  generateSelfSignedCertificate,
  type SelfSignedCertificate,
  type SelfSignedCertificateOptions,
} from "./self-signed.js";
export { type TlsPaths, tlsPaths } from "./tls-paths.js";
export {
  type CompiledTrustedProxyPolicy,
  compileTrustedProxyPolicy,
  type ProxyDecision,
  type ProxyRequest,
  type TrustedProxyPolicy,
  type TrustedProxyRefusal,
} from "./trusted-proxy.js";
