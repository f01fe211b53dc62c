import { type Clock, SYSTEM_CLOCK } from "../time/clock.js";

/** The timer of a provider's `timeoutMs` (the longest silence between stream parts). */
export type SilenceClock = Pick<Clock, "setTimer">;
export const SYSTEM_SILENCE_CLOCK: SilenceClock = SYSTEM_CLOCK;
