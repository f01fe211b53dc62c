import { type Clock, SYSTEM_CLOCK } from "../time/clock.js";

/** The time source of the file watchers (the config file, secret files). */
export type WatchClock = Clock;
export const SYSTEM_WATCH_CLOCK: WatchClock = SYSTEM_CLOCK;
