import type { ClientTurnEvent, TurnOutcome } from "../../agents/index.js";
import { toOpenClawError } from "../../errors.js";

/** Publishes one run's progress as the protocol's `chat` and `agent` events. */
export class ChatRunPublisher {
  private chatSeq = 0;
  private agentSeq = 0;

  constructor(
    private readonly publish: (event: "chat" | "agent", payload: Record<string, unknown>) => void,
    private readonly runId: string,
    private readonly sessionKey: string,
    private readonly agentId: string,
  ) {}

  turnEvent(event: ClientTurnEvent): void {
    if (event.type === "text-delta") {
      this.chat({ state: "delta", deltaText: event.text });
      return;
    }
    const data =
      event.type === "tool-call"
        ? { phase: "start", name: event.toolName, toolCallId: event.toolCallId, args: event.input }
        : {
            phase: "result",
            name: event.toolName,
            toolCallId: event.toolCallId,
            result: event.output,
            isError: event.isError,
          };
    this.publish("agent", {
      runId: this.runId,
      seq: this.agentSeq++,
      stream: "tool",
      ts: Date.now(),
      data: { ...data, sessionKey: this.sessionKey, agentId: this.agentId },
    });
  }

  final(outcome: TurnOutcome): void {
    this.chat({
      state: "final",
      message: { role: "assistant", content: [{ type: "text", text: outcome.text }], timestamp: Date.now() },
      usage: { input: outcome.usage.inputTokens, output: outcome.usage.outputTokens },
      stopReason: outcome.finishReason,
    });
  }

  failed(error: unknown): void {
    const failure = toOpenClawError(error);
    if (failure.code === "OC_ERR_TURN_ABORTED") {
      this.chat({ state: "aborted", errorMessage: failure.message });
      return;
    }
    this.chat({ state: "error", errorMessage: failure.describe(), errorKind: "unknown" });
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
