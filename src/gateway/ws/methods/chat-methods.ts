import type { RunRecord, RunRequest, RunService } from "../../../agents/index.js";
import { validateSessionKey } from "../../../sessions/index.js";
import { optionalString, requireString } from "../frames.js";
import type { MethodTable } from "./method-definition.js";

export interface ChatMethodsDeps {
  runs: Pick<RunService, "start" | "abort">;
}

/** What `chat.send` (and `canvas.action`) answer: the run, started now or earlier under the key. */
export async function startAnnouncedRun(
  runs: Pick<RunService, "start">,
  request: Omit<RunRequest, "announce">,
): Promise<{ runId: string; status: "started" | "in_flight" | "ok" }> {
  const started = await runs.start({ ...request, announce: true });
  if (started.status === "started") return { runId: started.record.runId, status: "started" };
  return { runId: started.record.runId, status: knownStatus(started.record) };
}

function knownStatus(record: RunRecord): "in_flight" | "ok" {
  return record.state === "running" ? "in_flight" : "ok";
}

/**
 * `chat.send` starts a turn and streams it as `chat`/`agent` broadcasts. As in OpenClaw's
 * gateway, the run id is the client's idempotency key, so the client can match events to its
 * request before the answer arrives; the same key again returns the original run.
 */
export function chatMethods(deps: ChatMethodsDeps): MethodTable {
  return {
    "chat.send": {
      role: "operator",
      scope: "operator.write",
      handle: ({ params, client }) => {
        const agentId = optionalString(params, "agentId");
        return startAnnouncedRun(deps.runs, {
          sessionKey: validateSessionKey(params.sessionKey),
          input: { kind: "message", text: requireString(params, "message") },
          idempotencyKey: requireString(params, "idempotencyKey", 256),
          ...(agentId ? { agentId } : {}),
          origin: { transport: "ws", route: "chat.send", requestId: client.connId },
        });
      },
    },
    "chat.abort": {
      role: "operator",
      scope: "operator.write",
      handle: ({ params }) => {
        const sessionKey = validateSessionKey(params.sessionKey);
        const runIds = deps.runs.abort(sessionKey, optionalString(params, "runId"));
        return { ok: true, aborted: runIds.length > 0, runIds };
      },
    },
  };
}
