import { NodePairingBase, type Nodes } from "../node-pairing-base.js";
import { announceNodeChange, type NodeMutation } from "../node-pairing-rules.js";
import type { NodeChangeObserver, NodeRecord } from "../node-pairing-store.js";
import type { MemoryLocation } from "./memory-location.js";

export interface MemoryNodePairingStoreOptions {
  maxPending?: number;
  now?: () => number;
}

/**
 * Paired devices in a MemoryLocation. Changes queue on the location, so that two storages on it
 * behave as two gateways sharing one database: one change at a time, each announced to both.
 */
export class MemoryNodePairingStore extends NodePairingBase {
  readonly location = "memory";
  private readonly observers = new Set<NodeChangeObserver>();

  constructor(
    private readonly memory: MemoryLocation,
    options: MemoryNodePairingStoreOptions = {},
  ) {
    super(options);
  }

  protected async snapshot(): Promise<Nodes> {
    return this.memory.nodes;
  }

  onChange(observer: NodeChangeObserver): () => void {
    this.observers.add(observer);
    this.memory.nodeObservers.add(observer);
    return () => {
      this.observers.delete(observer);
      this.memory.nodeObservers.delete(observer);
    };
  }

  async close(): Promise<void> {
    await this.memory.nodeQueue;
    for (const observer of this.observers) this.memory.nodeObservers.delete(observer);
    this.observers.clear();
  }

  protected mutate(compute: (nodes: Nodes) => NodeMutation): Promise<NodeRecord> {
    const run = this.memory.nodeQueue.then(() => {
      const { next, changes, answer } = compute(this.memory.nodes);
      if (next) this.memory.nodes = next;
      for (const change of changes) announceNodeChange(this.memory.nodeObservers, change);
      return { ...answer };
    });
    this.memory.nodeQueue = run.catch(() => undefined);
    return run;
  }
}
