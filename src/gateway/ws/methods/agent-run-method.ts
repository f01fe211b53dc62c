import type { RunRecord, RunService } from "../../../agents/index.js";
import { toOpenClawError } from "../../../errors.js";
import { sessionKeys, validateSessionKey } from "../../../sessions/index.js";
import { optionalString, requireString } from "../frames.js";
import type { MethodCall, MethodTable } from "./method-definition.js";

type AgentRunFinal = Record<string, unknown>;

export interface AgentRunMethodDeps {
  runs: Pick<RunService, "start" | "agentFor">;
}

/** The `agent` method's final answer for a run that ended well (or timed out). */
function finalOf(record: RunRecord): AgentRunFinal {
  if (record.state === "timeout") {
    return { runId: record.runId, status: "timeout", summary: "aborted", stopReason: "timeout" };
  }
  if (record.state === "running" || !record.result) return { runId: record.runId, status: "in_flight" };
  const { result } = record;
  return {
    runId: record.runId,
    status: "ok",
    summary: "completed",
    result: {
      payloads: [{ text: result.text }],
      meta: {
        durationMs: result.durationMs,
        stopReason: result.finishReason,
        agentMeta: {
          sessionKey: record.sessionKey,
          agentId: record.agentId,
          usage: { input: result.usage.inputTokens, output: result.usage.outputTokens },
        },
      },
    },
  };
}

/**
 * `agent`, what `openclaw agent --message …` calls: a turn answered twice on the same request
 * id, as OpenClaw's gateway does. First `{ status: "accepted", runId, sessionKey, agentId }` at
 * once (the client's `expectFinal` waits past it), then the final `{ status: "ok" | "timeout",
 * summary, result: { payloads: [{ text }], meta } }`; a failed turn is an error response. A retry
 * with the same idempotency key gets `in_flight`, or the first run's final answer again.
 */
async function runAgent(deps: AgentRunMethodDeps, { params, client }: MethodCall): Promise<AgentRunFinal> {
  const requestedSession = optionalString(params, "sessionKey");
  const explicit = optionalString(params, "agentId");
  const agentId = deps.runs.agentFor({
    ...(explicit ? { agentId: explicit } : {}),
    sessionKey: requestedSession ?? "",
  });
  // OpenClaw's default for an agent without a named session: its main session.
  const sessionKey = validateSessionKey(requestedSession ?? sessionKeys.main(agentId));
  const started = await deps.runs.start({
    sessionKey,
    agentId,
    input: { kind: "message", text: requireString(params, "message") },
    idempotencyKey: requireString(params, "idempotencyKey", 256),
    origin: { transport: "ws", route: "agent", requestId: client.connId },
    announce: true,
  });
  if (started.status === "known") return finalOf(started.record);
  const { record } = started;
  client.accept?.({
    runId: record.runId,
    sessionKey,
    agentId,
    status: "accepted",
    acceptedAt: record.startedAt,
  });
  try {
    // The record the key now answers with: a retry gets this very answer again.
    return finalOf((await started.done).record);
  } catch (error) {
    const failure = toOpenClawError(error);
    if (failure.code === "OC_ERR_TURN_TIMEOUT") return finalOf({ ...record, state: "timeout" });
    throw failure;
  }
}

export function agentRunMethods(deps: AgentRunMethodDeps): MethodTable {
  return {
    agent: { role: "operator", scope: "operator.write", handle: (call) => runAgent(deps, call) },
  };
}
