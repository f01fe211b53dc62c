import { OpenClawError } from "../errors.js";
import {
  asObject,
  type SubagentAccess,
  type SubagentRunResult,
  type Tool,
  type ToolContext,
  ToolInputError,
} from "./tool.js";

export interface SubagentRunRequest {
  agentId: string;
  task: string;
  /** Depth of the delegated turn: one below the turn that spawns it. */
  depth: number;
}

export interface SubagentAccessOptions {
  allowedTargets: string[];
  /** Depth of the turn this access belongs to (the top-level turn is 0). */
  depth: number;
  maxDepth: number;
  /** Spawns allowed within this access object, that is, within one turn. */
  maxFanOut: number;
  /** The turn's signal: aborting it stops waiting for its subagents. */
  signal: AbortSignal;
  run: (request: SubagentRunRequest) => { runId: string; result: Promise<string> };
  /**
   * A run this turn did not start: one an earlier turn of the session spawned without waiting.
   * The gateway answers it for the turn's own session (see SubagentRuns).
   */
  waitEarlier?: (runId: string) => Promise<SubagentRunResult>;
}

/** The host service through which a later turn collects a run an earlier turn spawned. */
export const SUBAGENTS_SERVICE = "subagents";

interface StartedRun {
  agentId: string;
  result: Promise<string>;
}

/**
 * Delegation for one turn. The limits live here, on the host side, because the tool that calls
 * `spawn` runs model-chosen arguments: a model must not be able to talk its way past them.
 */
export function createSubagentAccess(options: SubagentAccessOptions): SubagentAccess {
  const { allowedTargets, depth, maxDepth, maxFanOut, signal, run, waitEarlier } = options;
  const runs = new Map<string, StartedRun>();

  const waitFor = async (runId: string, started: StartedRun): Promise<SubagentRunResult> => {
    const text = await untilAborted(started.result, signal);
    return { runId, agentId: started.agentId, status: "done", text };
  };

  return {
    targets: () => [...allowedTargets],

    async spawn({ agentId, task, wait }) {
      signal.throwIfAborted();
      if (!allowedTargets.includes(agentId)) {
        const allowed = allowedTargets.length > 0 ? allowedTargets.join(", ") : "none";
        throw new OpenClawError(
          "OC_ERR_SUBAGENT",
          `agent "${agentId}" is not a delegation target of this agent; allowed: ${allowed}`,
          {
            hint: `delegate to an allowed agent, or add "${agentId}" to this agent's subagents.allow in the config`,
            details: { agentId, allowedTargets },
          },
        );
      }
      if (depth + 1 > maxDepth) {
        throw new OpenClawError(
          "OC_ERR_SUBAGENT",
          `delegation depth limit reached: this turn is at depth ${depth} and maxDepth is ${maxDepth}; do the task without delegating`,
          {
            hint: "raise subagents.maxDepth of the delegating agent if deeper delegation chains are intended",
            details: { depth, maxDepth },
          },
        );
      }
      if (runs.size >= maxFanOut) {
        throw new OpenClawError(
          "OC_ERR_SUBAGENT",
          `delegation fan-out limit reached: this turn already started ${runs.size} of at most ${maxFanOut} subagent runs`,
          {
            hint: "raise subagents.maxFanOut of the delegating agent, or give fewer, larger tasks",
            details: { maxFanOut },
          },
        );
      }
      if (task.trim() === "") {
        throw new OpenClawError("OC_ERR_SUBAGENT", "a subagent task must not be empty", {
          hint: "describe the task in full: the subagent does not see this conversation",
        });
      }
      const { runId, result } = run({ agentId, task, depth: depth + 1 });
      // Nobody may ever wait for this run; its failure must not become an unhandled rejection.
      result.catch(() => {});
      const started = { agentId, result };
      runs.set(runId, started);
      return wait ? waitFor(runId, started) : { runId, agentId, status: "started" };
    },

    async wait(runId) {
      const started = runs.get(runId);
      if (!started && waitEarlier) return waitEarlier(runId);
      if (!started) {
        throw new OpenClawError("OC_ERR_SUBAGENT", `no subagent run "${runId}" was started by this turn`, {
          hint: "pass a runId returned by agents_spawn in this same turn",
          details: { runId },
        });
      }
      return waitFor(runId, started);
    },
  };
}

/** Settles like `promise`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

export function requireSubagents(context: ToolContext, toolName: string): SubagentAccess {
  if (!context.subagents) {
    throw new OpenClawError("OC_ERR_SUBAGENT", `${toolName}: this agent may not delegate to other agents`, {
      hint: "list delegation targets in the agent's subagents.allow to enable delegation",
    });
  }
  return context.subagents;
}

/** Collects the answer of a run started with `agents_spawn` and `wait: false`. */
export const agentsWaitTool: Tool = {
  name: "agents_wait",
  description:
    "Waits for a subagent run started with agents_spawn (wait: false), in this turn or an earlier turn " +
    "of this conversation, and returns its answer.",
  parameters: {
    type: "object",
    properties: { runId: { type: "string", description: "The runId returned by agents_spawn." } },
    required: ["runId"],
    additionalProperties: false,
  },
  async execute(input, context) {
    const { runId } = asObject(input, "agents_wait");
    if (typeof runId !== "string" || runId === "") {
      throw new ToolInputError("agents_wait needs a non-empty string field `runId`");
    }
    return requireSubagents(context, "agents_wait").wait(runId);
  },
};
