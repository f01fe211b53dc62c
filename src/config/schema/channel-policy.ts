import { z } from "zod";

/**
 * What every channel platform's config shares: account ids, who may reach the bot (DM and group
 * policies, allowlists) and thread bindings. Each platform's schema (`channels.ts`,
 * `channels-<platform>.ts`) spreads `accountPolicyShape` into its account shape.
 */

export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const DmPolicySchema = z
  .enum(["pairing", "allowlist", "open", "disabled"])
  .describe(
    'Who may DM the bot: pairing (default: an unknown sender gets a code to approve with `openclaw pairing approve`), allowlist (allowFrom only), open (anyone; needs allowFrom ["*"]), disabled.',
  );

export const GroupPolicySchema = z
  .enum(["open", "allowlist", "disabled"])
  .describe(
    "Who may trigger the bot in groups: allowlist (default: groupAllowFrom, else allowFrom), open (any member), disabled.",
  );

/** Sender ids; Telegram user ids come as numbers in hand-written configs. */
export const SenderListSchema = z.array(
  z.union([z.string().min(1), z.number()]).transform((value) => String(value)),
);

export const GroupTopicSchema = z.strictObject({
  requireMention: z.boolean().optional(),
  enabled: z.boolean().optional(),
  agentId: z.string().min(1).optional().describe("The agent this topic routes to (over bindings)."),
});

export const GroupEntrySchema = z.strictObject({
  enabled: z.boolean().optional().describe("false: the group is ignored."),
  requireMention: z.boolean().optional().describe("Answer only messages that mention the bot. Default true."),
  groupPolicy: GroupPolicySchema.optional(),
  allowFrom: SenderListSchema.optional().describe("Senders allowed in this group (over groupAllowFrom)."),
  topics: z.record(z.string(), GroupTopicSchema).optional().describe('Forum topics by id, "*" for the rest.'),
});

const threadBindingsShape = {
  enabled: z.boolean().describe("Thread-bound subagent sessions on this channel."),
  idleHours: z
    .number()
    .min(0)
    .describe("A binding with no message for this long is released (0: never). Default 24."),
  maxAgeHours: z.number().min(0).describe("A binding is released this long after it was made (0: never)."),
  spawnSessions: z
    .boolean()
    .describe("sessions_spawn { thread: true } may create or bind a thread. Default true when enabled."),
  defaultSpawnContext: z
    .enum(["fork", "isolated"])
    .describe("What a thread-bound helper starts from: fork (the task as given), isolated."),
};

/** `channels.<id>.threadBindings` (and per account): overrides of `session.threadBindings`. */
export const ThreadBindingsOverrideSchema = z
  .strictObject({
    enabled: threadBindingsShape.enabled.optional(),
    idleHours: threadBindingsShape.idleHours.optional(),
    maxAgeHours: threadBindingsShape.maxAgeHours.optional(),
    spawnSessions: threadBindingsShape.spawnSessions.optional(),
    defaultSpawnContext: threadBindingsShape.defaultSpawnContext.optional(),
  })
  .describe("This channel's thread-binding settings, over session.threadBindings.");

/** `session.threadBindings`: a chat thread bound to a subagent session (OpenClaw's thread-bound sessions). */
export const ThreadBindingsSchema = z
  .strictObject({
    enabled: threadBindingsShape.enabled.prefault(true),
    idleHours: threadBindingsShape.idleHours.prefault(24),
    maxAgeHours: threadBindingsShape.maxAgeHours.prefault(0),
    spawnSessions: threadBindingsShape.spawnSessions.prefault(true),
    defaultSpawnContext: threadBindingsShape.defaultSpawnContext.prefault("fork"),
  })
  .describe(
    "Follow-ups in a thread made by sessions_spawn { thread: true } go to the helper's session until unbound or expired.",
  );

/** What every account of every channel may set. */
export const accountPolicyShape = {
  enabled: z.boolean().optional(),
  name: z.string().optional(),
  dmPolicy: DmPolicySchema.optional(),
  allowFrom: SenderListSchema.optional().describe(
    'Senders allowed to DM (and, without groupAllowFrom, in groups); "*": anyone.',
  ),
  groupPolicy: GroupPolicySchema.optional(),
  groupAllowFrom: SenderListSchema.optional(),
  groups: z
    .record(z.string(), GroupEntrySchema)
    .optional()
    .describe(
      'Allowed groups by id ("*": every group) and their settings. Without it, no group is answered unless groupPolicy is open.',
    ),
  requireMention: z.boolean().optional().describe("Default of groups.*.requireMention. Default true."),
  textChunkLimit: z.number().int().min(64).max(100_000).optional(),
  threadBindings: ThreadBindingsOverrideSchema.optional(),
};

export const StreamingModeSchema = z.enum(["off", "partial", "block", "progress"]);
