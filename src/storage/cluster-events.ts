/**
 * What one gateway tells the others of its cluster: chat events of a turn it runs, canvas
 * updates, revocations, config reloads, locked-out keys. A single gateway (files backend) has
 * nobody to tell and delivers only to itself.
 *
 * Delivery is at least once and in `seq` order per store: a subscriber that lost its connection
 * (PostgreSQL's LISTEN) is given what it missed from the durable table when it is back, so an
 * event is never silently dropped while the store is reachable. Events are kept for a bounded
 * time (`CLUSTER_EVENT_RETENTION_MS`); a subscriber away longer than that misses the older ones
 * and is told so by a `gap` event.
 */
export interface ClusterEvent {
  /** Increasing across the cluster; a subscriber skips what it has seen by it. */
  readonly seq: number;
  /** What the event is about: `chat`, `canvas`, `revocation`, `config`, `lockout`, … */
  readonly topic: string;
  /** The replica that published it (ReplicaIdentity.id): a publisher also receives its own. */
  readonly origin: string;
  /** Plain JSON data, copied: never the publisher's object. */
  readonly payload: unknown;
  /** Epoch ms, by the store's clock. */
  readonly at: number;
}

export type ClusterEventHandler = (event: ClusterEvent) => void;

export interface ClusterEvents {
  /** Stores the event and wakes every subscriber of the cluster; answers its seq. */
  publish(topic: string, payload: unknown): Promise<number>;
  /** Every event published from now on (all topics, own ones included); returns the unsubscribe. */
  subscribe(handler: ClusterEventHandler): () => void;
}

export const CLUSTER_EVENT_RETENTION_MS = 10 * 60_000;
