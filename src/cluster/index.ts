export { ClusterEventBridge, MAX_BRIDGED_PAYLOAD_BYTES } from "./event-bridge.js";
export { ClusterHopAuth, HOP_CLOCK_WINDOW_MS, HOP_HEADERS, type HopVerdict } from "./hop-auth.js";
export { internalUrlOf } from "./internal-url.js";
export {
  ReplicaAnnouncer,
  type ReplicaAnnouncerOptions,
  type ReplicaIdentity,
} from "./replica-announcer.js";
export { OwnerUnreachable, SessionOwnership, type SessionOwnershipOptions } from "./session-ownership.js";
export { CLUSTER_TURN_PATH, type ForwardedTurn, forwardedTurnOf, forwardTurn } from "./turn-forwarder.js";
