import { OpenClawError } from "../errors.js";

/**
 * The answer's write failed after the user's message was saved: the client is told which half
 * is in the transcript, since "nothing was saved" would make it resend a message it has.
 */
export function answerNotSaved(error: unknown): unknown {
  if (!(error instanceof OpenClawError)) return error;
  if (error.code !== "OC_ERR_DISK_FULL" && error.code !== "OC_ERR_STATE_UNWRITABLE") return error;
  return new OpenClawError(
    error.code,
    `${error.message.replace(/; nothing was saved$/, "")}; the answer was not saved (the message it answers is in the transcript)`,
    {
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.details ? { details: error.details } : {}),
      cause: error,
    },
  );
}
