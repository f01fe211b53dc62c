export { type ActivitySource, IdleRelease, type IdleReleaseOptions } from "./idle-release.js";
export { lastResortGc } from "./last-resort-gc.js";
