import { z } from "zod";
import { AGENT_ID_PATTERN } from "../agent-id.js";
import { formatConfigPath } from "../config-path.js";
import { HeartbeatSchema } from "./heartbeat.js";
import { ModelSelectionSchema } from "./model-selection.js";
import {
  OPENCLAW_ONLY_AGENT,
  OPENCLAW_ONLY_AGENTS,
  openclawOnlyForm,
  openclawOnlyKeys,
} from "./openclaw-only.js";
import { SandboxSchema } from "./sandbox.js";
import { ToolPolicySchema } from "./tools.js";

export { AGENT_ID_PATTERN };

export const AgentLimitsSchema = z.strictObject({
  maxHeapMb: z
    .number()
    .int()
    .min(16)
    .max(65_536)
    .optional()
    .describe("Heap limit of a thread-bound agent's worker."),
  stackMb: z
    .number()
    .int()
    .min(1)
    .max(256)
    .optional()
    .describe("Stack size of a thread-bound agent's worker."),
  maxConcurrent: z.number().int().min(1).max(1024).optional().describe("Turns running at once."),
  maxQueue: z.number().int().min(0).max(100_000).optional().describe("Turns waiting; beyond it: 503."),
  queueTimeoutMs: z
    .number()
    .int()
    .min(0)
    .max(86_400_000)
    .optional()
    .describe(
      "How long a turn may wait for a slot, from its arrival, before it is refused with 503 + Retry-After (OC_ERR_QUEUE_TIMEOUT). Default: half of turnTimeoutMs, at most 30000; never more than turnTimeoutMs.",
    ),
  turnTimeoutMs: z
    .number()
    .int()
    .min(100)
    .max(86_400_000)
    .optional()
    .describe(
      "How long a turn may take from its arrival, time waiting for a slot included: past it, 504 (OC_ERR_TURN_TIMEOUT). Default 600000.",
    ),
  watchdogMs: z
    .number()
    .int()
    .min(100)
    .max(600_000)
    .optional()
    .describe("A worker whose event loop misses heartbeats this long is restarted."),
  busyNice: z
    .number()
    .int()
    .min(0)
    .max(19)
    .optional()
    .describe("OS nice value for a worker that keeps its event loop busy (about a second); 0: never demote."),
});

export const RestartPolicySchema = z.strictObject({
  maxCrashes: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe("Crashes within windowMs that degrade the agent."),
  windowMs: z.number().int().min(1000).max(86_400_000).optional(),
  backoffMs: z
    .number()
    .int()
    .min(10)
    .max(600_000)
    .optional()
    .describe("First restart delay; doubles per crash."),
  maxBackoffMs: z.number().int().min(10).max(3_600_000).optional(),
});

export const SubagentPolicySchema = z
  .strictObject({
    allow: z
      .array(z.string().min(1))
      .optional()
      .describe('Agents this one may delegate to ("*": every other agent); default: runtime subagent.'),
    allowAgents: z.array(z.string().min(1)).optional().describe("OpenClaw's name for allow."),
    maxDepth: z.number().int().min(0).max(8).optional().describe("Delegation depth below this agent's turn."),
    maxSpawnDepth: z.number().int().min(1).max(5).optional().describe("OpenClaw's name for maxDepth."),
    maxFanOut: z.number().int().min(1).max(64).optional().describe("Delegations per turn."),
    ...openclawOnlyKeys(["archiveAfterMinutes", "maxChildrenPerAgent", "maxConcurrent", "requireAgentId"]),
  })
  .transform(({ allowAgents, maxSpawnDepth, ...policy }) => ({
    ...policy,
    ...(policy.allow === undefined && allowAgents !== undefined ? { allow: allowAgents } : {}),
    ...(policy.maxDepth === undefined && maxSpawnDepth !== undefined ? { maxDepth: maxSpawnDepth } : {}),
  }));

export const PoolSchema = z.strictObject({
  size: z
    .number()
    .int()
    .min(1)
    .max(64)
    .describe("Worker threads shared by agents that are not thread-bound."),
});

const agentFields = {
  name: z.string().min(1).optional(),
  // OpenClaw's runtime is an object ({ type: "acp", acp: { … } }): a harness this gateway does not have.
  runtime: openclawOnlyForm(
    z
      .enum(["agent", "subagent"])
      .optional()
      .describe(
        "subagent: may also be delegated to by other agents. OpenClaw's { type, acp } form is ignored.",
      ),
    (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  ),
  threadBound: z.boolean().optional().describe("Run this agent in its own worker thread."),
  model: ModelSelectionSchema.optional().describe(
    'provider/model, e.g. anthropic/claude-sonnet-4-5, local/gpt-oss-120b or dev/echo; or { primary, fallbacks: ["provider/model", ...] }.',
  ),
  systemPrompt: z.string().optional(),
  maxSteps: z.number().int().min(1).max(64).optional().describe("Model calls per turn (tool loops)."),
  tools: z
    .union([z.array(z.string().min(1)), ToolPolicySchema])
    .optional()
    .describe(
      "Allow-list of tool names, or OpenClaw's { profile, allow, alsoAllow, deny }; all tools when absent.",
    ),
  sandbox: SandboxSchema.optional(),
  workspace: z
    .string()
    .min(1)
    .optional()
    .describe("The agent's workspace directory; default <state dir>/workspace/<id>."),
  plugins: z
    .array(z.string().min(1))
    .optional()
    .describe("ES modules exporting tools, relative to the config file; loaded in the agent's own thread."),
  limits: AgentLimitsSchema.optional(),
  restart: RestartPolicySchema.optional(),
  subagents: SubagentPolicySchema.optional(),
  heartbeat: HeartbeatSchema.optional(),
  skills: z
    .array(z.string().min(1))
    .optional()
    .describe("Allow-list of skill names; all skills when absent."),
  ...openclawOnlyKeys(OPENCLAW_ONLY_AGENT),
};

export const AgentSchema = z.strictObject(agentFields);
export const AgentDefaultsSchema = z.strictObject({ ...agentFields, pool: PoolSchema.optional() });

const defaultMarker = z
  .boolean()
  .optional()
  .describe("OpenClaw's legacy marker of the default agent: the one that answers when a request names none.");

const agentIdSchema = z.string().regex(AGENT_ID_PATTERN, {
  error: "agent id must be 1-64 letters, digits, '-' or '_', starting with a letter or digit",
});

/** An agent as written in any of the three forms; `default` is dropped by normalization. */
const RosterAgentSchema = z.strictObject({ ...agentFields, default: defaultMarker });
const ListedAgentSchema = z.strictObject({ id: agentIdSchema, ...agentFields, default: defaultMarker });

const AgentRosterSchema = z
  .object({
    ...openclawOnlyKeys(OPENCLAW_ONLY_AGENTS),
    defaults: AgentDefaultsSchema.optional(),
    entries: z
      .record(agentIdSchema, RosterAgentSchema)
      .optional()
      .describe("OpenClaw's map of agents: the key is the agent id."),
    list: z
      .array(ListedAgentSchema)
      .optional()
      .describe("OpenClaw's legacy list of agents, each with its id."),
  })
  .catchall(RosterAgentSchema)
  .superRefine(
    (agents, context) => {
      for (const id of Object.keys(agents)) {
        if (id !== "defaults" && id !== "entries" && id !== "list" && !AGENT_ID_PATTERN.test(id)) {
          context.addIssue({
            code: "custom",
            path: [id],
            message: `agent id "${id}" must be 1-64 letters, digits, '-' or '_', starting with a letter or digit`,
          });
        }
      }
    },
    // By default zod skips this check when an agent has another error; a bad id must still be listed.
    {
      when: (payload) =>
        typeof payload.value === "object" && payload.value !== null && !Array.isArray(payload.value),
    },
  );

const placeOf = (where: readonly (string | number)[]) => formatConfigPath(["agents", ...where]);

/** What the rest of the code reads: `defaults` and one key per agent id, the default agent first. */
export type NormalizedAgents = { defaults?: z.output<typeof AgentDefaultsSchema> } & {
  [id: string]: z.output<typeof AgentSchema>;
};

/**
 * OpenClaw writes agents as `agents.entries.<id>` (or the legacy `agents.list[]`), the seed as
 * `agents.<id>`. All three may be mixed; they are folded here, in one place, into the seed's
 * form, so that nothing downstream knows there was more than one. The default agent (marked
 * `default: true`) is moved first because the first agent is the one a request without an agent
 * id reaches.
 */
export const AgentsSchema = AgentRosterSchema.transform((roster, context): NormalizedAgents => {
  const { defaults, entries, list, ...seed } = roster;
  for (const key of OPENCLAW_ONLY_AGENTS) delete seed[key];
  const found: { id: string; where: (string | number)[]; agent: z.output<typeof RosterAgentSchema> }[] = [];
  for (const [id, agent] of Object.entries(seed))
    found.push({ id, where: [id], agent: agent as z.output<typeof RosterAgentSchema> });
  for (const [id, agent] of Object.entries(entries ?? {})) found.push({ id, where: ["entries", id], agent });
  for (const [index, { id, ...agent }] of (list ?? []).entries())
    found.push({ id, where: ["list", index], agent });

  const firstPlace = new Map<string, (string | number)[]>();
  const defaultsMarked: (string | number)[][] = [];
  const normalized: Record<string, z.output<typeof AgentSchema>> = {};
  let defaultId: string | undefined;
  for (const { id, where, agent } of found) {
    const earlier = firstPlace.get(id);
    if (earlier) {
      context.addIssue({
        code: "custom",
        path: where,
        message: `agent "${id}" is defined twice: at ${placeOf(earlier)} and at ${placeOf(where)}; keep one`,
      });
      continue;
    }
    firstPlace.set(id, where);
    const { default: isDefault, ...settings } = agent;
    if (isDefault) {
      defaultsMarked.push(where);
      defaultId ??= id;
    }
    normalized[id] = settings;
  }
  if (defaultsMarked.length > 1) {
    context.addIssue({
      code: "custom",
      path: defaultsMarked[1] ?? [],
      message: `only one agent may be marked default: true (marked: ${defaultsMarked.map(placeOf).join(", ")})`,
    });
  }
  const ordered =
    defaultId === undefined
      ? normalized
      : { [defaultId]: normalized[defaultId] as z.output<typeof AgentSchema>, ...normalized };
  return (defaults === undefined ? { ...ordered } : { defaults, ...ordered }) as NormalizedAgents;
});
