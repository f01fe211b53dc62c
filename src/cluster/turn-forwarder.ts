import type { ChatTurnOptions, ChatTurnResult } from "../agents/index.js";
import type { ClientTurnEvent } from "../agents/turn/turn-events.js";
import { fromWireError } from "../agents/wire-error.js";
import type { ReplicaInfo } from "../storage/replica-registry.js";
import type { ClusterHopAuth } from "./hop-auth.js";
import { OwnerUnreachable } from "./session-ownership.js";

export const CLUSTER_TURN_PATH = "/__openclaw__/cluster/turn";

/** What crosses the hop: the turn's data, never its callbacks, signal or the client's credential. */
export type ForwardedTurn = Pick<
  ChatTurnOptions,
  "agentId" | "sessionKey" | "input" | "runId" | "depth" | "origin"
>;

/** One NDJSON line of the owner's answer: the turn's events as they come, then its end. */
export type ForwardedTurnLine =
  | { event: ClientTurnEvent }
  | { result: ChatTurnResult }
  | { error: { code: string; message: string; hint?: string } };

export function forwardedTurnOf(options: ChatTurnOptions): ForwardedTurn {
  const { agentId, sessionKey, input, runId, depth, origin } = options;
  return {
    agentId,
    sessionKey,
    input,
    ...(runId !== undefined ? { runId } : {}),
    ...(depth !== undefined ? { depth } : {}),
    ...(origin !== undefined ? { origin } : {}),
  };
}

/**
 * Runs a turn on its session's owner and relays the owner's events to the caller's `onEvent` as
 * they arrive. An owner that cannot be reached, or whose answer breaks off before its end (it was
 * killed mid-turn), is OwnerUnreachable: the caller waits for its lease to lapse and runs the
 * turn itself. An owner's refusal (a typed error) is the turn's answer.
 */
export async function forwardTurn(
  auth: ClusterHopAuth,
  fromReplica: string,
  owner: ReplicaInfo,
  options: ChatTurnOptions,
): Promise<ChatTurnResult> {
  const body = JSON.stringify(forwardedTurnOf(options));
  let response: Response;
  try {
    response = await fetch(`${owner.internalUrl.replace(/\/+$/, "")}${CLUSTER_TURN_PATH}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...auth.sign(fromReplica, "POST", CLUSTER_TURN_PATH, body),
      },
      body,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    throw new OwnerUnreachable(owner.id, error);
  }
  if (!response.ok || !response.body) {
    const text = await response.text().catch(() => "");
    const wire = parseError(text);
    if (wire) throw fromWireError(wire);
    throw new OwnerUnreachable(owner.id, new Error(`HTTP ${response.status}`));
  }
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    for await (const chunk of response.body) {
      buffered += decoder.decode(chunk, { stream: true });
      let newline = buffered.indexOf("\n");
      while (newline !== -1) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf("\n");
        if (line.trim() === "") continue;
        const parsed = JSON.parse(line) as ForwardedTurnLine;
        if ("event" in parsed) options.onEvent?.(parsed.event);
        else if ("result" in parsed) return parsed.result;
        else throw fromWireError(parsed.error);
      }
    }
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (error instanceof SyntaxError || !(error instanceof Error) || error.name !== "OpenClawError") {
      throw new OwnerUnreachable(owner.id, error);
    }
    throw error;
  }
  throw new OwnerUnreachable(owner.id, new Error("the owner's answer ended before the turn did"));
}

function parseError(text: string): { code: string; message: string; hint?: string } | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; hint?: unknown } };
    const error = parsed.error;
    if (error && typeof error.code === "string" && typeof error.message === "string") {
      return {
        code: error.code,
        message: error.message,
        ...(typeof error.hint === "string" ? { hint: error.hint } : {}),
      };
    }
  } catch {
    // Not JSON: a proxy's page, or nothing.
  }
  return undefined;
}
