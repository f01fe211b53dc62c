import { abortable } from "../../abortable.js";
import { OpenClawError } from "../../errors.js";
import type { SubagentRunResult } from "../../tools/index.js";
import type { HostServiceHandler } from "./host-service.js";

/** Runs kept for a later turn to collect; the oldest is forgotten beyond this many. */
const DEFAULT_CAPACITY = 256;

interface KeptRun {
  sessionKey: string;
  agentId: string;
  result: Promise<string>;
}

/**
 * The subagent runs of each session, on the gateway's side. A turn that spawns with
 * `wait: false` may end before its runs do; a later turn of the same session collects them
 * here (`agents_wait`). The session is the one the gateway knows the asking turn by, never one
 * the agent names: a run is not visible from another session.
 */
export class SubagentRuns {
  private readonly runs = new Map<string, KeptRun>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  record(sessionKey: string, runId: string, agentId: string, result: Promise<string>): void {
    result.catch(() => undefined);
    this.runs.set(runId, { sessionKey, agentId, result });
    // Bounded: a session that spawns without ever waiting must not grow the gateway's memory.
    for (const oldest of this.runs.keys()) {
      if (this.runs.size <= this.capacity) break;
      this.runs.delete(oldest);
    }
  }

  async wait(sessionKey: string, runId: string, signal: AbortSignal): Promise<SubagentRunResult> {
    const run = this.runs.get(runId);
    if (!run || run.sessionKey !== sessionKey) {
      throw new OpenClawError("OC_ERR_SUBAGENT", `no subagent run "${runId}" was started in this session`, {
        hint: "pass a runId that agents_spawn returned in this session (this turn or an earlier one)",
        details: { runId },
      });
    }
    const text = await abortable(run.result, signal);
    return { runId, agentId: run.agentId, status: "done", text };
  }
}

/** `subagents.wait { runId }`: a run of the asking turn's session, started by an earlier turn. */
export function subagentsService(runs: SubagentRuns): HostServiceHandler {
  return ({ sessionKey, operation, input, signal }) => {
    const runId = (input as { runId?: unknown } | null)?.runId;
    if (operation !== "wait" || typeof runId !== "string" || runId === "") {
      throw new OpenClawError("OC_ERR_BAD_REQUEST", 'the subagents service takes "wait" with { runId }');
    }
    return runs.wait(sessionKey, runId, signal);
  };
}
