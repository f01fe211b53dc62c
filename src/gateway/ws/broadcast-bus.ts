/**
 * The events every admitted operator connection receives, by name. Payloads are the protocol's
 * (OpenClaw's event shapes); the names are the closed set this gateway sends.
 */
export interface BroadcastEvents {
  /** A run's text and state (see chat-events.ts). */
  chat: Record<string, unknown>;
  /** A run's lifecycle and tool calls. */
  agent: Record<string, unknown>;
  /** A session's canvas, whole, after each change. */
  canvas: { sessionKey: string; agentId: string; html: string | null; a2ui: unknown[]; updatedAt: string };
  "node.pair.requested": Record<string, unknown>;
  "node.pair.resolved": { requestId: string; nodeId: string; decision: "approved" | "rejected"; ts: number };
}

export type BroadcastName = keyof BroadcastEvents;
export type BroadcastListener = <Name extends BroadcastName>(
  name: Name,
  payload: BroadcastEvents[Name],
) => void;

/** Typed fan-out to operator connections: publishing a name outside the set does not compile. */
export class BroadcastBus {
  private readonly listeners = new Set<BroadcastListener>();

  publish<Name extends BroadcastName>(name: Name, payload: BroadcastEvents[Name]): void {
    for (const listener of this.listeners) listener(name, payload);
  }

  subscribe(listener: BroadcastListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}
