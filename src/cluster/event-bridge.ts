import type { BroadcastBus, BroadcastName } from "../gateway/ws/broadcast-bus.js";
import type { Logger } from "../logging/index.js";
import type { ClusterEvent, ClusterEvents } from "../storage/cluster-events.js";

/** The broadcasts that concern every operator of the cluster, whichever replica produced them. */
const SHARED_BROADCASTS: ReadonlySet<BroadcastName> = new Set(["chat", "agent", "canvas"]);
/**
 * Larger payloads are not sent across (a whole canvas page can be big): an event row stays small,
 * and a viewer on another replica sees the next change that fits.
 */
export const MAX_BRIDGED_PAYLOAD_BYTES = 64 * 1024;

export const BROADCAST_TOPIC = "broadcast";
export const CONFIG_TOPIC = "config";

interface BridgedBroadcast {
  replica: string;
  name: BroadcastName;
  payload: unknown;
}

export interface EventBridgeOptions {
  bus: BroadcastBus;
  events: ClusterEvents;
  replicaId: string;
  logger: Logger;
  /** A peer's config changed: re-read this replica's config (its own file or ConfigMap). */
  reloadConfig(): Promise<unknown>;
  /** Every cluster event received, for the lag in `cluster status`. */
  onEvent?(event: ClusterEvent): void;
}

/**
 * Carries the operator broadcasts (chat and agent events of a run, canvas changes) of this
 * replica to the others, and theirs to this replica's connections. Each replica sends only what
 * its own bus produced, and skips its own events coming back: the local path delivered them.
 * Payloads are the protocol's events (text of a run, canvas contents), never credentials: the
 * secrets redactor has already masked them on the way to the bus.
 */
export class ClusterEventBridge {
  private relaying = false;
  private readonly unsubscribeBus: () => void;
  private readonly unsubscribeEvents: () => void;

  constructor(private readonly options: EventBridgeOptions) {
    this.unsubscribeBus = options.bus.subscribe((name, payload) => {
      // What this bridge re-broadcasts from a peer is not sent back out.
      if (this.relaying || !SHARED_BROADCASTS.has(name)) return;
      const bridged: BridgedBroadcast = { replica: options.replicaId, name, payload };
      if (JSON.stringify(bridged).length > MAX_BRIDGED_PAYLOAD_BYTES) return;
      options.events.publish(BROADCAST_TOPIC, bridged).catch((error: unknown) => {
        options.logger.warn({ error: (error as Error).message, name }, "cluster event not published");
      });
    });
    this.unsubscribeEvents = options.events.subscribe((event) => this.receive(event));
  }

  /** Tells the other replicas that the config was reloaded here. */
  async configReloaded(): Promise<void> {
    await this.options.events.publish(CONFIG_TOPIC, { replica: this.options.replicaId });
  }

  close(): void {
    this.unsubscribeBus();
    this.unsubscribeEvents();
  }

  private receive(event: ClusterEvent): void {
    this.options.onEvent?.(event);
    const payload = event.payload as { replica?: unknown } | undefined;
    if (!payload || typeof payload !== "object" || payload.replica === this.options.replicaId) return;
    if (event.topic === BROADCAST_TOPIC) {
      const bridged = payload as BridgedBroadcast;
      if (!SHARED_BROADCASTS.has(bridged.name)) return;
      this.relaying = true;
      try {
        this.options.bus.publish(bridged.name, bridged.payload as never);
      } finally {
        this.relaying = false;
      }
      return;
    }
    if (event.topic === CONFIG_TOPIC) {
      this.options.reloadConfig().catch((error: unknown) => {
        this.options.logger.warn({ error: (error as Error).message }, "config reload asked by a peer failed");
      });
    }
  }
}
