import { NodePairingBase, type Nodes } from "../node-pairing-base.js";
import { announceNodeChange, type NodeMutation } from "../node-pairing-rules.js";
import type { NodeChange, NodeChangeObserver, NodeRecord } from "../node-pairing-store.js";
import type { PostgresDatabase } from "./postgres-database.js";
import type { PostgresListener } from "./postgres-listener.js";

export const NODES_CHANNEL = "openclaw_nodes";
/** Any fixed number: node changes of every gateway apply one at a time under it. */
const NODES_LOCK_KEY = 0x6e6f646573n; // "nodes"

/**
 * Paired devices as rows. A change runs in a transaction holding an advisory lock, so changes
 * from every gateway apply one at a time against the latest rows; its NOTIFY (sent at commit)
 * tells the other gateways, which announce it to their observers. The gateway that made it
 * announces it itself once committed and skips its own notification.
 */
export class PostgresNodePairingStore extends NodePairingBase {
  readonly location: string;
  private readonly observers = new Set<NodeChangeObserver>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly database: PostgresDatabase,
    private readonly origin: string,
    options: { maxPending?: number; now?: () => number },
  ) {
    super(options);
    this.location = database.location;
  }

  attach(listener: PostgresListener): void {
    listener.on(NODES_CHANNEL, (text) => {
      let notice: { origin: string; changes: NodeChange[] };
      try {
        notice = JSON.parse(text) as { origin: string; changes: NodeChange[] };
      } catch {
        return;
      }
      if (notice.origin === this.origin) return;
      for (const change of notice.changes) this.announce(change);
    });
    // Notifications sent while the listening connection was down are lost: what changed
    // meanwhile (a device revoked through another gateway) is found by comparing the rows with
    // what was last announced here, and announced now.
    this.announced = this.snapshot().then(
      (nodes) => new Map([...nodes].map(([id, record]) => [id, JSON.stringify(record)])),
      () => new Map(),
    );
    listener.onReconnect(() => {
      this.resync().catch(() => undefined);
    });
  }

  /** What this store last announced per node id (as JSON), to find what a lost notification hid. */
  private announced: Promise<Map<string, string>> | undefined;

  private announce(change: NodeChange): void {
    void this.announced?.then((known) => {
      if (change.type === "node-removed") known.delete(change.node.id);
      else known.set(change.node.id, JSON.stringify(change.node));
    });
    announceNodeChange(this.observers, change);
  }

  private async resync(): Promise<void> {
    const known = await this.announced;
    if (!known) return;
    const nodes = await this.snapshot();
    for (const [id, record] of nodes) {
      if (known.get(id) !== JSON.stringify(record)) this.announce({ type: "node-updated", node: record });
    }
    for (const [id, json] of [...known]) {
      if (!nodes.has(id)) this.announce({ type: "node-removed", node: JSON.parse(json) as NodeRecord });
    }
  }

  protected async snapshot(): Promise<Nodes> {
    const { rows } = await this.database.query<{ record: NodeRecord }>(
      "SELECT record FROM node_records ORDER BY position",
    );
    return new Map(rows.map((row) => [row.record.id, row.record]));
  }

  onChange(observer: NodeChangeObserver): () => void {
    const own: NodeChangeObserver = (change) => observer(change);
    this.observers.add(own);
    return () => this.observers.delete(own);
  }

  async close(): Promise<void> {
    await this.queue;
    this.observers.clear();
  }

  protected mutate(compute: (nodes: Nodes) => NodeMutation): Promise<NodeRecord> {
    // Queued here too, so that this gateway's changes keep their call order.
    const run = this.queue.then(() => this.apply(compute));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async apply(compute: (nodes: Nodes) => NodeMutation): Promise<NodeRecord> {
    const { changes, answer } = await this.database.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1)", [NODES_LOCK_KEY.toString()]);
      const { rows } = await client.query<{ record: NodeRecord }>(
        "SELECT record FROM node_records ORDER BY position",
      );
      const nodes: Nodes = new Map(rows.map((row) => [row.record.id, row.record]));
      const mutation = compute(nodes);
      if (mutation.next) {
        for (const [id, record] of mutation.next) {
          const known = nodes.get(id);
          if (known && JSON.stringify(known) === JSON.stringify(record)) continue;
          await client.query(
            `INSERT INTO node_records (id, record) VALUES ($1, $2::jsonb)
             ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record`,
            [id, JSON.stringify(record)],
          );
        }
        const gone = [...nodes.keys()].filter((id) => !mutation.next?.has(id));
        if (gone.length > 0)
          await client.query("DELETE FROM node_records WHERE id = ANY($1::text[])", [gone]);
      }
      if (mutation.changes.length > 0) {
        await client.query("SELECT pg_notify($1, $2)", [
          NODES_CHANNEL,
          JSON.stringify({ origin: this.origin, changes: mutation.changes }),
        ]);
      }
      return mutation;
    });
    for (const change of changes) this.announce(change);
    return { ...answer };
  }
}
