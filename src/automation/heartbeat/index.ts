/** Heartbeats: periodic main-session turns whose "nothing to report" replies stay quiet. */
export { type ActiveHours, withinActiveHours } from "./active-hours.js";
export { ACK_MAX_REMAINING_CHARS, HEARTBEAT_OK, isNothingToReport, NO_REPLY } from "./heartbeat-reply.js";
export {
  clusterHeartbeatClaim,
  DEFAULT_HEARTBEAT_EVERY,
  DEFAULT_HEARTBEAT_PROMPT,
  type HeartbeatBeat,
  type HeartbeatOutcome,
  HeartbeatRunner,
  type HeartbeatSettings,
  routeOf,
} from "./heartbeat-runner.js";
