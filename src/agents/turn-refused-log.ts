import type { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";

/**
 * A turn refused before it ran (its agent stopped or degraded, no slot in time) still gave its
 * client a turn id (x-openclaw-turn-id): this line is what `openclaw logs --turn <id>` finds for
 * it, with the code the client was sent.
 */
export function logTurnRefused(
  logger: Logger,
  runId: string,
  turn: { agentId: string; sessionKey: string },
  failure: OpenClawError,
): void {
  logger.warn(
    {
      agent: turn.agentId,
      session: turn.sessionKey,
      turn: runId,
      code: failure.code,
      error: failure.message,
    },
    "turn refused",
  );
}
