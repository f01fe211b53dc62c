import { type Clock, SYSTEM_CLOCK } from "../time/clock.js";

/** The time source of turn deadlines (queue and turn timeouts). */
export type TurnClock = Clock;
export const SYSTEM_TURN_CLOCK: TurnClock = SYSTEM_CLOCK;
