import { z } from "zod";
import { openclawOnlyKeys } from "./openclaw-only.js";

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DURATION = /^(\d+(?:\.\d+)?(ms|s|m|h|d))+$/;

/**
 * `agents.defaults.heartbeat` / `agents.<id>.heartbeat`: a turn on a cadence in the agent's main
 * session (OpenClaw's keys); a reply that is "nothing to report" (NO_REPLY, HEARTBEAT_OK) is
 * not delivered.
 */
export const HeartbeatSchema = z.strictObject({
  every: z
    .string()
    .regex(DURATION, { error: "every must be a duration such as 30m, 1h or 10s (0m: off)" })
    .optional()
    .describe('Cadence, e.g. "30m"; "0m" turns the heartbeat off. Default 30m.'),
  activeHours: z
    .strictObject({
      start: z.string().regex(CLOCK, { error: "start must be HH:MM" }),
      end: z.string().regex(CLOCK, { error: "end must be HH:MM (24:00 for the end of the day)" }),
      timezone: z
        .string()
        .min(1)
        .optional()
        .describe('An IANA zone, "local" or "user"; default the host\'s.'),
    })
    .optional()
    .describe("Beats only inside this daily window (start inclusive, end exclusive)."),
  prompt: z.string().min(1).optional().describe("The message each heartbeat turn is sent, verbatim."),
  target: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Where alerts go: a channel id (telegram, irc, discord, slack) with `to`, or a channel target such as "telegram:123456789"; "none": never deliver.',
    ),
  to: z.string().min(1).optional().describe("The recipient on the target channel (a chat id, #channel, …)."),
  accountId: z.string().min(1).optional().describe("The target channel's account; default its default one."),
  ...openclawOnlyKeys([
    "agentId",
    "model",
    "lightContext",
    "isolatedSession",
    "session",
    "directPolicy",
    "timeoutSeconds",
    "includeReasoning",
    "suppressToolErrorWarnings",
  ]),
});

export type HeartbeatConfig = z.output<typeof HeartbeatSchema>;
