/**
 * The gateways of one cluster, each announcing itself while alive: `openclaw cluster status`
 * lists them, and a request for a session leased by another is forwarded to the owner's
 * `internalUrl`. A replica that stops announcing for longer than its TTL is gone.
 */
export interface ReplicaInfo {
  /** Stable for the process's life; unique in the cluster (random at start). */
  readonly id: string;
  /** Where other replicas reach it for a forwarded request (the internal hop). */
  readonly internalUrl: string;
  readonly version: string;
  /** Epoch ms. */
  readonly startedAt: number;
  /** Epoch ms of its last announcement, by the store's clock. */
  readonly lastSeenAt: number;
  /** Epoch ms after which it counts as gone unless it announces again. */
  readonly expiresAt: number;
}

export interface ReplicaRegistry {
  /** Records (or refreshes) this replica for `ttlMs`. */
  announce(replica: Omit<ReplicaInfo, "lastSeenAt" | "expiresAt">, ttlMs: number): Promise<void>;
  /** The replicas not expired, oldest start first. */
  list(): Promise<ReplicaInfo[]>;
  /** Removes a replica at once (a clean shutdown). */
  leave(id: string): Promise<void>;
}
