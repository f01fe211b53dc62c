import { z } from "zod";

const MODEL_ID = z.string().min(1);

/**
 * An agent's `model`: OpenClaw's two forms. A string is the primary alone; the object adds the
 * ordered `fallbacks` tried when the primary's provider fails (5xx, 429, timeout, unreachable).
 * An agent's object may leave out `primary` to keep the one of `agents.defaults`.
 */
export const ModelSelectionSchema = z.union([
  MODEL_ID,
  z.strictObject({
    primary: MODEL_ID.optional().describe("provider/model tried first."),
    fallbacks: z
      .array(MODEL_ID)
      .optional()
      .describe("provider/model tried in order when the one before fails in a way worth retrying elsewhere."),
  }),
]);

export type ModelSelection = z.infer<typeof ModelSelectionSchema>;
