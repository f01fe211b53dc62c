import { OpenClawError } from "../errors.js";
import { requireHost } from "./host-access.js";
import { agentsWaitTool, requireSubagents } from "./subagent-tools.js";
import { asObject, type Tool, ToolInputError } from "./tool.js";

/**
 * The gateway's side of spawns bound to a chat thread (`spawn`) and of `agents_list` (`agents`).
 * The gateway answers for the asking turn's own agent and session: the conversation bound is the
 * one that turn came from, never one a tool argument names.
 */
export const SESSIONS_SERVICE = "sessions";

const DESCRIPTION =
  "Hands a task to another agent of this gateway (see agents_list for the ones this agent may use). " +
  "The helper does not see this conversation: put everything it needs into task. Without thread it " +
  "returns the helper's answer (wait: false returns a runId for agents_wait). With thread: true the " +
  "current chat conversation (or a new thread under it) is bound to a new session of the helper: " +
  'the helper posts its answer there and the user\'s later messages there go to it; mode "run" ' +
  'unbinds after that first answer, "session" (the default with thread) stays bound.';

const SPAWN_FIELDS = new Set(["agentId", "task", "thread", "mode", "label", "wait"]);

/** One tool under two names: OpenClaw's `sessions_spawn` and this gateway's `agents_spawn`. */
function spawnTool(name: "sessions_spawn" | "agents_spawn"): Tool {
  return {
    name,
    description: DESCRIPTION,
    parameters: {
      type: "object",
      properties: {
        agentId: { type: "string", description: "Id of the agent to hand the task to." },
        task: { type: "string", description: "The complete, self-contained task." },
        thread: {
          type: "boolean",
          default: false,
          description: "Bind the current chat conversation to the helper's new session.",
        },
        mode: {
          type: "string",
          enum: ["session", "run"],
          description: 'With thread: "session" stays bound (default), "run" unbinds after the answer.',
        },
        label: { type: "string", description: "A short name for the helper's thread." },
        wait: {
          type: "boolean",
          default: true,
          description: "Without thread: wait for the answer (default), or return a runId at once.",
        },
      },
      required: ["agentId", "task"],
      additionalProperties: false,
    },
    async execute(input, context) {
      const fields = asObject(input, name);
      // Refused rather than ignored: a conversation is never chosen by the model (no channel, peer…).
      const unknown = Object.keys(fields).filter((field) => !SPAWN_FIELDS.has(field));
      if (unknown.length > 0)
        throw new ToolInputError(
          `${name} takes ${[...SPAWN_FIELDS].join(", ")}; not ${unknown.join(", ")} (a thread binds this turn's own conversation)`,
        );
      const { agentId, task, thread = false, mode, label, wait = true } = fields;
      if (typeof agentId !== "string" || agentId === "")
        throw new ToolInputError(`${name} needs a non-empty string field \`agentId\``);
      if (typeof task !== "string") throw new ToolInputError(`${name} needs a string field \`task\``);
      if (typeof thread !== "boolean") throw new ToolInputError(`${name} field \`thread\` must be a boolean`);
      if (typeof wait !== "boolean") throw new ToolInputError(`${name} field \`wait\` must be a boolean`);
      if (mode !== undefined && mode !== "session" && mode !== "run")
        throw new ToolInputError(`${name} field \`mode\` must be "session" or "run"`);
      if (label !== undefined && (typeof label !== "string" || label.length > 100))
        throw new ToolInputError(`${name} field \`label\` must be a string of at most 100 characters`);
      if (!thread) {
        if (mode === "session") {
          throw new OpenClawError("OC_ERR_SUBAGENT", `${name}: mode "session" needs thread: true`, {
            hint: "pass thread: true to keep the helper bound to this conversation, or leave mode out",
          });
        }
        return requireSubagents(context, name).spawn({ agentId, task, wait });
      }
      const request = { agentId, task, mode: mode ?? "session", ...(label !== undefined ? { label } : {}) };
      return requireHost(context, name).call(SESSIONS_SERVICE, "spawn", request, { signal: context.signal });
    },
  };
}

export const sessionsSpawnTool = spawnTool("sessions_spawn");
export const agentsSpawnTool = spawnTool("agents_spawn");

/** The agents this one may spawn, with their models (OpenClaw's `agents_list`). */
export const agentsListTool: Tool = {
  name: "agents_list",
  description: "Lists the agents this agent may hand tasks to with sessions_spawn, with each one's model.",
  parameters: { type: "object", properties: {}, additionalProperties: false },
  async execute(_input, context) {
    const agents = await requireHost(context, "agents_list").call(
      SESSIONS_SERVICE,
      "agents",
      {},
      { signal: context.signal },
    );
    return { agents };
  },
};

/** Offered to an agent with delegation targets. */
export const SUBAGENT_TOOLS: readonly Tool[] = [
  agentsSpawnTool,
  agentsWaitTool,
  sessionsSpawnTool,
  agentsListTool,
];
