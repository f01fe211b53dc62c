import type { ClientTurnEvent, TurnOutcome } from "../../agents/index.js";
import { toOpenClawError } from "../../errors.js";

/**
 * Publishes one run's progress as OpenClaw's gateway does: `chat` events (each `delta` carries
 * the new text and the whole assistant message so far, then one `final`, `aborted` or `error`)
 * and `agent` events (`lifecycle` start/end/error around the run, `tool` for each tool call).
 */
export class ChatRunPublisher {
  private chatSeq = 0;
  private agentSeq = 0;
  private text = "";

  constructor(
    private readonly publish: (event: "chat" | "agent", payload: Record<string, unknown>) => void,
    private readonly runId: string,
    private readonly sessionKey: string,
    private readonly agentId: string,
  ) {}

  started(): void {
    this.agent("lifecycle", { phase: "start", startedAt: Date.now() });
  }

  turnEvent(event: ClientTurnEvent): void {
    if (event.type === "text-delta") {
      this.text += event.text;
      this.chat({ state: "delta", deltaText: event.text, message: this.assistantMessage(this.text) });
      return;
    }
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
    this.agent("lifecycle", { phase: "end", endedAt: Date.now() });
    this.chat({
      state: "final",
      message: this.assistantMessage(outcome.text),
      usage: { input: outcome.usage.inputTokens, output: outcome.usage.outputTokens },
      stopReason: outcome.finishReason,
    });
  }

  failed(error: unknown): void {
    const failure = toOpenClawError(error);
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

  private assistantMessage(text: string): Record<string, unknown> {
    return { role: "assistant", content: [{ type: "text", text }], timestamp: Date.now() };
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

  private chat(fields: Record<string, unknown>): void {
    this.publish("chat", {
      runId: this.runId,
      sessionKey: this.sessionKey,
      agentId: this.agentId,
      seq: this.chatSeq++,
      ...fields,
    });
  }
}
