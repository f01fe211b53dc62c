import { FileNodePairingStore } from "../storage/files/file-node-pairing-store.js";
import type { NodeChange, NodePairingStore, NodeRecord, NodeRequest } from "../storage/node-pairing-store.js";
import { canonicalDevicePublicKey } from "./device-identity.js";

export { NODES_FILE_NAME } from "../storage/files/nodes-file.js";
export type { NodeRecord, NodeRequest, NodeStatus } from "../storage/node-pairing-store.js";
export { DEFAULT_MAX_PENDING_NODES } from "../storage/storage.js";

export interface NodeRegistryOptions {
  /**
   * Pending requests kept at most; the oldest is dropped beyond it. Anyone who can reach the
   * gateway can mint device keys, and each new key is a pending request written to disk.
   */
  maxPending?: number;
  now?: () => Date;
  /** Told when the file was found empty and the registry starts with no nodes. */
  onEmptyFile?: (message: string) => void;
}

/** Told after each stored change: the changed record and whether it changed or is gone. */
export type NodeChangeListener = (record: NodeRecord, change: NodeChange["type"]) => void;

/**
 * The gateway's view of its paired devices: a NodePairingStore (where the records are kept, and
 * the rules) with a snapshot in memory kept current by the store's change events, so that the
 * handshake looks a device up without waiting on storage. A store shared by several gateways
 * announces every gateway's changes, so a node revoked anywhere is revoked here too.
 */
export class NodeRegistry {
  private readonly nodes = new Map<string, NodeRecord>();
  private readonly listeners = new Set<NodeChangeListener>();
  private readonly unsubscribe: () => void;

  private constructor(readonly store: NodePairingStore) {
    this.unsubscribe = store.onChange((change) => this.follow(change));
  }

  /** The files backend's registry of a state dir (`<stateDir>/nodes.json`). */
  static async open(stateDir: string, options: NodeRegistryOptions = {}): Promise<NodeRegistry> {
    const now = options.now;
    const store = new FileNodePairingStore(stateDir, {
      ...(options.maxPending !== undefined ? { maxPending: options.maxPending } : {}),
      ...(now ? { now: () => now().getTime() } : {}),
      ...(options.onEmptyFile ? { onEmptyFile: options.onEmptyFile } : {}),
    });
    return NodeRegistry.over(store);
  }

  /** A registry over any store; rejects (a damaged file) as the store's first read does. */
  static async over(store: NodePairingStore): Promise<NodeRegistry> {
    const registry = new NodeRegistry(store);
    try {
      for (const record of await store.list()) registry.nodes.set(record.id, record);
    } catch (error) {
      registry.unsubscribe();
      throw error;
    }
    return registry;
  }

  /** Where the records are kept (the files backend: the nodes.json path). */
  get path(): string {
    return this.store.location;
  }

  get(id: string): NodeRecord | undefined {
    const record = this.nodes.get(id);
    return record && { ...record };
  }

  list(): NodeRecord[] {
    return [...this.nodes.values()].map((record) => ({ ...record }));
  }

  pending(): NodeRecord[] {
    return this.list().filter((record) => record.status === "pending");
  }

  /**
   * Records a device asking to connect (see NodePairingStore.request). The key is made canonical
   * first: other spellings of the same key are the same key, and a string that is not a device
   * key is refused before anything is stored.
   */
  request(input: NodeRequest): Promise<NodeRecord> {
    let publicKey: string;
    try {
      publicKey = canonicalDevicePublicKey(input.publicKey);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.store.request({ ...input, publicKey });
  }

  approve(id: string): Promise<NodeRecord> {
    return this.store.approve(id);
  }

  reject(id: string): Promise<NodeRecord> {
    return this.store.reject(id);
  }

  revoke(id: string): Promise<NodeRecord> {
    return this.store.revoke(id);
  }

  /** Forgets the device: it pairs afresh if it asks again; its access ends as on a revoke. */
  remove(id: string): Promise<NodeRecord> {
    return this.store.remove(id);
  }

  /** Called after each change is stored, with the changed record. Returns an unsubscribe. */
  onChange(listener: NodeChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.store.close();
  }

  private follow(change: NodeChange): void {
    if (change.type === "node-removed") this.nodes.delete(change.node.id);
    else this.nodes.set(change.node.id, { ...change.node });
    for (const listener of this.listeners) {
      try {
        listener({ ...change.node }, change.type);
      } catch (error) {
        // The change is already stored; a failing listener must not make it look undone.
        process.emitWarning(error instanceof Error ? error : String(error), {
          code: "OPENCLAW_NODE_LISTENER",
        });
      }
    }
  }
}
