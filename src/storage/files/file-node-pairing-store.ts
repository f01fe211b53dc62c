import { join } from "node:path";
import { writeFileAtomic } from "../../config/atomic-write.js";
import { NodePairingBase, type Nodes } from "../node-pairing-base.js";
import { announceNodeChange, type NodeMutation } from "../node-pairing-rules.js";
import type { NodeChangeObserver, NodeRecord } from "../node-pairing-store.js";
import { NODES_FILE_NAME, readNodesFile, serializeNodes } from "./nodes-file.js";

export interface FileNodePairingStoreOptions {
  maxPending?: number;
  /** Epoch ms: request and decision times. */
  now?: () => number;
  /** Told when the file was found empty and the store starts with no nodes. */
  onEmptyFile?: (message: string) => void;
}

/**
 * Paired devices in `<state>/nodes.json`, read at first use and held in memory (one gateway per
 * state dir). Every change is written (atomically, owner-only) before it takes effect in memory,
 * so a decision the caller saw succeed survives a crash; changes apply one at a time in call
 * order. A file that is torn or another program's is refused with its path and left alone,
 * never overwritten with an empty registry.
 */
export class FileNodePairingStore extends NodePairingBase {
  readonly location: string;
  private nodes: Promise<Nodes> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly observers = new Set<NodeChangeObserver>();

  constructor(
    stateDir: string,
    private readonly options: FileNodePairingStoreOptions = {},
  ) {
    super(options);
    this.location = join(stateDir, NODES_FILE_NAME);
  }

  protected snapshot(): Promise<Nodes> {
    return this.loaded();
  }

  onChange(observer: NodeChangeObserver): () => void {
    this.observers.add(observer);
    return () => {
      this.observers.delete(observer);
    };
  }

  async close(): Promise<void> {
    await this.queue;
  }

  /** Runs `compute` on the latest records once every earlier change is done; writes, then announces. */
  protected mutate(compute: (nodes: Nodes) => NodeMutation): Promise<NodeRecord> {
    const run = this.queue.then(async () => {
      const { next, changes, answer } = compute(await this.loaded());
      if (next) {
        await writeFileAtomic(this.location, serializeNodes(next));
        this.nodes = Promise.resolve(next);
      }
      for (const change of changes) announceNodeChange(this.observers, change);
      return { ...answer };
    });
    // A failed change must not block the ones queued after it.
    this.queue = run.catch(() => undefined);
    return run;
  }

  private loaded(): Promise<Nodes> {
    if (!this.nodes) {
      const loading = readNodesFile(this.location).then((nodes) => {
        if (nodes !== "empty") return nodes;
        this.options.onEmptyFile?.(
          `node registry ${this.location} is empty (a write cut short?): it holds no approvals, so the gateway starts with no paired nodes`,
        );
        return new Map<string, NodeRecord>();
      });
      // A file refused now is read again next time (the operator may have put it right).
      loading.catch(() => {
        if (this.nodes === loading) this.nodes = undefined;
      });
      this.nodes = loading;
    }
    return this.nodes;
  }
}
