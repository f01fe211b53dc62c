import type { ClientTurnEvent, TurnOutcome } from "../../agents/index.js";
import { toOpenClawError } from "../../errors.js";
import { type DeltaClock, DeltaCoalescer, SYSTEM_CLOCK } from "./delta-coalescer.js";

/**
 * The whole text so far, on a `delta` payload under a symbol: JSON.stringify leaves it out, so
 * it costs nothing on the wire unless a connection asks for it (see `withMessageSnapshot`).
 */
export const MESSAGE_SNAPSHOT = Symbol("chat delta message snapshot");

/**
 * Publishes one run's progress: `chat` events (`delta`s, then one `final`, `aborted` or `error`)
 * and `agent` events (`lifecycle` start/end/error around the run, `tool` for each tool call).
 *
 * A `delta` carries only the text new since the previous delta (`deltaText`), and deltas are
 * coalesced to one per DELTA_INTERVAL_MS; the `final` carries the whole message. The protocol
 * makes `message` optional on a delta ("incremental assistant output"). Sending the whole text
 * so far on every delta, as before, made the bytes grow with the square of the reply: a 16 KB
 * reply in 800 chunks cost each operator 801 frames and 6.6 MB; now 27 frames and 36 KB.
 */
export class ChatRunPublisher {
  private chatSeq = 0;
  private agentSeq = 0;
  private text = "";
  private readonly deltas: DeltaCoalescer;

  constructor(
    private readonly publish: (event: "chat" | "agent", payload: Record<string, unknown>) => void,
    private readonly runId: string,
    private readonly sessionKey: string,
    private readonly agentId: string,
    clock: DeltaClock = SYSTEM_CLOCK,
  ) {
    this.deltas = new DeltaCoalescer((deltaText) => this.delta(deltaText), clock);
  }

  started(): void {
    this.agent("lifecycle", { phase: "start", startedAt: Date.now() });
  }

  turnEvent(event: ClientTurnEvent): void {
    if (event.type === "text-delta") {
      this.text += event.text;
      this.deltas.push(event.text);
      return;
    }
    // The text said before a tool call reaches clients before the call does.
    this.deltas.flush();
    this.agent(
      "tool",
      event.type === "tool-call"
        ? { phase: "start", name: event.toolName, toolCallId: event.toolCallId, args: event.input }
        : {
            phase: "result",
            name: event.toolName,
            toolCallId: event.toolCallId,
            result: event.output,
            isError: event.isError,
          },
    );
  }

  final(outcome: TurnOutcome): void {
    this.deltas.flush();
    this.agent("lifecycle", { phase: "end", endedAt: Date.now() });
    this.chat({
      state: "final",
      message: assistantMessage(outcome.text),
      usage: { input: outcome.usage.inputTokens, output: outcome.usage.outputTokens },
      stopReason: outcome.finishReason,
    });
  }

  failed(error: unknown): void {
    const failure = toOpenClawError(error);
    this.deltas.flush();
    this.agent("lifecycle", { phase: "error", error: failure.message, endedAt: Date.now() });
    if (failure.code === "OC_ERR_TURN_ABORTED") {
      this.chat({ state: "aborted", errorMessage: failure.message, stopReason: "aborted" });
      return;
    }
    this.chat({
      state: "error",
      errorMessage: failure.describe(),
      errorKind: failure.code === "OC_ERR_TURN_TIMEOUT" ? "timeout" : "unknown",
    });
  }

  private delta(deltaText: string): void {
    this.chat({ state: "delta", deltaText }, this.text);
  }

  private agent(stream: string, data: Record<string, unknown>): void {
    this.publish("agent", {
      runId: this.runId,
      seq: ++this.agentSeq,
      stream,
      ts: Date.now(),
      sessionKey: this.sessionKey,
      agentId: this.agentId,
      data: { ...data, sessionKey: this.sessionKey, agentId: this.agentId },
    });
  }

  private chat(fields: Record<string, unknown>, snapshot?: string): void {
    this.publish("chat", {
      runId: this.runId,
      sessionKey: this.sessionKey,
      agentId: this.agentId,
      seq: this.chatSeq++,
      ...fields,
      ...(snapshot === undefined ? {} : { [MESSAGE_SNAPSHOT]: snapshot }),
    });
  }
}

function assistantMessage(text: string): Record<string, unknown> {
  return { role: "assistant", content: [{ type: "text", text }], timestamp: Date.now() };
}

/**
 * OpenClaw's TUI (`openclaw tui`, client id `openclaw-tui`) and its ACP bridge (`openclaw acp`,
 * client id `cli`) render a streaming answer from each delta's `message` alone, never from
 * `deltaText`; without it they would show the answer only when the run ends. They get the whole
 * text so far on each (coalesced) delta, as OpenClaw's own gateway sends it; others do not.
 */
export function rendersFromMessage(clientId: string): boolean {
  return clientId === "openclaw-tui" || clientId === "cli";
}

/** A `delta` payload with its `message` filled in from the snapshot; anything else as it was. */
export function withMessageSnapshot(event: string, payload: unknown): unknown {
  if (event !== "chat" || typeof payload !== "object" || payload === null) return payload;
  const snapshot = (payload as { [MESSAGE_SNAPSHOT]?: string })[MESSAGE_SNAPSHOT];
  return snapshot === undefined ? payload : { ...payload, message: assistantMessage(snapshot) };
}
