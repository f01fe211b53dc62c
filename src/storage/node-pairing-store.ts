export type NodeStatus = "pending" | "approved" | "rejected" | "revoked";

/** A decision an operator takes about a node. */
export type NodeDecision = Exclude<NodeStatus, "pending">;

export interface NodeRecord {
  id: string;
  /** Canonical unpadded base64url of the device's raw Ed25519 key: pinned at first request. */
  publicKey: string;
  displayName?: string;
  platform?: string;
  status: NodeStatus;
  requestedAt: string;
  decidedAt?: string;
  lastSeenAt?: string;
  remoteAddress?: string;
}

export interface NodeRequest {
  id: string;
  /** Canonical (see canonicalDevicePublicKey): stores compare keys as strings. */
  publicKey: string;
  displayName?: string;
  platform?: string;
  remoteAddress?: string;
}

/**
 * A record changed (`node-updated`) or is gone (`node-removed`: removed by an operator, or a
 * pending request dropped to keep the bound). Announced only once the change is stored.
 */
export type NodeChange = { type: "node-updated" | "node-removed"; node: NodeRecord };

export type NodeChangeObserver = (change: NodeChange) => void;

/**
 * Paired devices and the operator's decision about each. Changes apply one at a time, each
 * against the latest state (a cluster's gateways included), are stored before they are
 * announced, and a change that leaves a record as it was is neither stored nor announced.
 * Records handed out are copies: editing one changes nothing stored.
 */
export interface NodePairingStore {
  /** Where the records are, for messages: a file, a database without its credentials. */
  readonly location: string;
  get(id: string): Promise<NodeRecord | undefined>;
  list(): Promise<NodeRecord[]>;
  pending(): Promise<NodeRecord[]>;
  /**
   * A device asking to connect: an unknown one becomes pending (the oldest pending requests
   * beyond the store's bound are dropped); a known one keeps its status, key and labels, and
   * only its last-seen time and address change. A known id with another key is refused
   * (OC_ERR_FORBIDDEN): device ids derive from keys, so that is someone claiming the device.
   */
  request(input: NodeRequest): Promise<NodeRecord>;
  /** OC_ERR_NOT_FOUND for an unknown id, as for reject, revoke and remove. */
  approve(id: string): Promise<NodeRecord>;
  reject(id: string): Promise<NodeRecord>;
  revoke(id: string): Promise<NodeRecord>;
  /** Forgets the device: it pairs afresh if it asks again. Answers the record it removed. */
  remove(id: string): Promise<NodeRecord>;
  /**
   * Told every stored change, with a copy of the record; returns the unsubscribe. A store shared
   * by several gateways tells each of them every change, whichever gateway made it: revoking a
   * node must end its access everywhere.
   */
  onChange(observer: NodeChangeObserver): () => void;
  close(): Promise<void>;
}
