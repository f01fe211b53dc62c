import type { RunEvent, RunService } from "../../agents/index.js";
import type { BroadcastBus } from "./broadcast-bus.js";
import { ChatRunPublisher } from "./chat-events.js";

/**
 * Turns the run service's announced runs into OpenClaw's `chat` and `agent` events for every
 * operator connection: one publisher per run, from its start to its end.
 */
export function broadcastRuns(runs: Pick<RunService, "subscribe">, broadcast: BroadcastBus): () => void {
  const publishers = new Map<string, ChatRunPublisher>();
  return runs.subscribe((event: RunEvent) => {
    const { runId, sessionKey, agentId } = event.record;
    if (event.type === "run-started") {
      const publisher = new ChatRunPublisher(
        (name, payload) => broadcast.publish(name, payload),
        runId,
        sessionKey,
        agentId,
      );
      publishers.set(runId, publisher);
      publisher.started();
      return;
    }
    const publisher = publishers.get(runId);
    if (!publisher) return;
    if (event.type === "run-event") publisher.turnEvent(event.event);
    else {
      publishers.delete(runId);
      if (event.type === "run-finished") publisher.final(event.outcome);
      else publisher.failed(event.error);
    }
  });
}
