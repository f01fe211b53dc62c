import {
  badNodeRequest,
  decisionMutation,
  type NodeMutation,
  removalMutation,
  requestMutation,
} from "./node-pairing-rules.js";
import type { NodeChangeObserver, NodePairingStore, NodeRecord, NodeRequest } from "./node-pairing-store.js";
import { DEFAULT_MAX_PENDING_NODES } from "./storage.js";

export type Nodes = ReadonlyMap<string, NodeRecord>;

/**
 * What every node pairing backend shares: the pairing rules (node-pairing-rules.ts) applied to
 * the records it keeps, answers copied so callers cannot edit them. A backend says where the
 * records are (`snapshot`) and how a change is applied, one at a time (`mutate`).
 */
export abstract class NodePairingBase implements NodePairingStore {
  abstract readonly location: string;
  protected readonly maxPending: number;
  private readonly now: () => number;

  constructor(options: { maxPending?: number; now?: () => number }) {
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING_NODES;
    this.now = options.now ?? Date.now;
  }

  /** The records as they are now. */
  protected abstract snapshot(): Promise<Nodes>;
  /** Runs `compute` on the latest records once every earlier change is done, keeps and announces it. */
  protected abstract mutate(compute: (nodes: Nodes) => NodeMutation): Promise<NodeRecord>;
  abstract onChange(observer: NodeChangeObserver): () => void;
  abstract close(): Promise<void>;

  async get(id: string): Promise<NodeRecord | undefined> {
    const record = (await this.snapshot()).get(id);
    return record && { ...record };
  }

  async list(): Promise<NodeRecord[]> {
    return [...(await this.snapshot()).values()].map((record) => ({ ...record }));
  }

  async pending(): Promise<NodeRecord[]> {
    return (await this.list()).filter((record) => record.status === "pending");
  }

  request(input: NodeRequest): Promise<NodeRecord> {
    const refusal = badNodeRequest(input);
    if (refusal) return Promise.reject(refusal);
    return this.mutate((nodes) => requestMutation(nodes, input, this.isoNow(), this.maxPending));
  }

  approve(id: string): Promise<NodeRecord> {
    return this.mutate((nodes) => decisionMutation(nodes, id, "approved", this.isoNow()));
  }

  reject(id: string): Promise<NodeRecord> {
    return this.mutate((nodes) => decisionMutation(nodes, id, "rejected", this.isoNow()));
  }

  revoke(id: string): Promise<NodeRecord> {
    return this.mutate((nodes) => decisionMutation(nodes, id, "revoked", this.isoNow()));
  }

  remove(id: string): Promise<NodeRecord> {
    return this.mutate((nodes) => removalMutation(nodes, id));
  }

  private isoNow(): string {
    return new Date(this.now()).toISOString();
  }
}
