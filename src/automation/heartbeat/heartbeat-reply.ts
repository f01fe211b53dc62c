/** OpenClaw's silent token: a reply that is only this says "nothing to report". */
export const NO_REPLY = "NO_REPLY";
/** The legacy acknowledgment, accepted at the start or the end of a short reply. */
export const HEARTBEAT_OK = "HEARTBEAT_OK";
/** What may remain beside HEARTBEAT_OK for the reply to still count as an acknowledgment. */
export const ACK_MAX_REMAINING_CHARS = 300;

/**
 * Whether a heartbeat reply is OpenClaw's "nothing to report": exactly NO_REPLY, or HEARTBEAT_OK
 * at its start or end with at most 300 characters besides. A HEARTBEAT_OK in the middle of a
 * reply is not special, as in OpenClaw.
 */
export function isNothingToReport(reply: string): boolean {
  const text = reply.trim();
  if (text === "" || text === NO_REPLY) return true;
  const stripped = text.startsWith(HEARTBEAT_OK)
    ? text.slice(HEARTBEAT_OK.length)
    : text.endsWith(HEARTBEAT_OK)
      ? text.slice(0, -HEARTBEAT_OK.length)
      : undefined;
  if (stripped === undefined) return false;
  return stripped.replace(/^[\s.,:;!-]+|[\s.,:;!-]+$/g, "").length <= ACK_MAX_REMAINING_CHARS;
}
