import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../config/atomic-write.js";
import { OpenClawError } from "../errors.js";
import { canonicalDevicePublicKey } from "./device-identity.js";

export type NodeStatus = "pending" | "approved" | "rejected" | "revoked";

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
  publicKey: string;
  displayName?: string;
  platform?: string;
  remoteAddress?: string;
}

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

export type NodeChangeListener = (record: NodeRecord) => void;

export const NODES_FILE_NAME = "nodes.json";
export const DEFAULT_MAX_PENDING_NODES = 100;
/** Client-supplied labels are shown in tables and logs; a bound keeps them readable. */
const MAX_LABEL_LENGTH = 200;

const nodeRecordSchema = z.object({
  id: z.string().min(1),
  publicKey: z.string().min(1),
  displayName: z.string().optional(),
  platform: z.string().optional(),
  status: z.enum(["pending", "approved", "rejected", "revoked"]),
  requestedAt: z.string(),
  decidedAt: z.string().optional(),
  lastSeenAt: z.string().optional(),
  remoteAddress: z.string().optional(),
});
const nodesFileSchema = z.object({ version: z.literal(1), nodes: z.array(nodeRecordSchema) });

const NOT_FOUND_HINT =
  "list nodes waiting for approval with `openclaw nodes pending`, or all of them with `openclaw nodes list`";

/**
 * Paired devices and the operator's decision about each, in `<stateDir>/nodes.json`. Every change
 * is written (atomically, owner-only) before it takes effect in memory, so a decision the caller
 * saw succeed survives a crash, and changes are applied one at a time in call order.
 */
export class NodeRegistry {
  private nodes: ReadonlyMap<string, NodeRecord>;
  private readonly listeners = new Set<NodeChangeListener>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly maxPending: number;
  private readonly now: () => Date;

  private constructor(
    readonly path: string,
    nodes: Map<string, NodeRecord>,
    options: NodeRegistryOptions,
  ) {
    this.nodes = nodes;
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING_NODES;
    this.now = options.now ?? (() => new Date());
  }

  static async open(stateDir: string, options: NodeRegistryOptions = {}): Promise<NodeRegistry> {
    const path = join(stateDir, NODES_FILE_NAME);
    const nodes = await readNodesFile(path);
    if (nodes === "empty") {
      options.onEmptyFile?.(
        `node registry ${path} is empty (a write cut short?): it holds no approvals, so the gateway starts with no paired nodes`,
      );
      return new NodeRegistry(path, new Map(), options);
    }
    return new NodeRegistry(path, nodes, options);
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
   * Records a device asking to connect: an unknown one becomes pending, a known one keeps its
   * status and only its last-seen time and address change. The name and platform shown to the
   * operator at approval stay as they were, so an approved device cannot relabel itself.
   */
  request(input: NodeRequest): Promise<NodeRecord> {
    if (input.id.length === 0) {
      return Promise.reject(new OpenClawError("OC_ERR_BAD_REQUEST", "a node request needs a device id"));
    }
    let publicKey: string;
    try {
      publicKey = canonicalDevicePublicKey(input.publicKey);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.change((nodes) => {
      const now = this.now().toISOString();
      const known = nodes.get(input.id);
      if (known === undefined) {
        const record: NodeRecord = {
          id: input.id,
          publicKey,
          status: "pending",
          requestedAt: now,
          lastSeenAt: now,
        };
        if (input.displayName !== undefined)
          record.displayName = input.displayName.slice(0, MAX_LABEL_LENGTH);
        if (input.platform !== undefined) record.platform = input.platform.slice(0, MAX_LABEL_LENGTH);
        if (input.remoteAddress !== undefined) record.remoteAddress = input.remoteAddress;
        return record;
      }
      if (known.publicKey !== publicKey) {
        // The key was pinned when the device first asked. Device ids derive from keys, so another
        // key under a known id is someone claiming that device's identity.
        throw new OpenClawError("OC_ERR_FORBIDDEN", `node ${input.id} is known with a different public key`, {
          hint: "a reinstalled device has a new key and so a new id, and pairs afresh; if the old device is gone, `openclaw nodes revoke` its id",
          details: { nodeId: input.id },
        });
      }
      const record: NodeRecord = { ...known, lastSeenAt: now };
      if (input.remoteAddress !== undefined) record.remoteAddress = input.remoteAddress;
      return record;
    });
  }

  approve(id: string): Promise<NodeRecord> {
    return this.decide(id, "approved");
  }

  reject(id: string): Promise<NodeRecord> {
    return this.decide(id, "rejected");
  }

  revoke(id: string): Promise<NodeRecord> {
    return this.decide(id, "revoked");
  }

  /** Called after each change is persisted, with the changed record. Returns an unsubscribe. */
  onChange(listener: NodeChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private decide(id: string, status: Exclude<NodeStatus, "pending">): Promise<NodeRecord> {
    return this.change((nodes) => {
      const known = nodes.get(id);
      if (known === undefined) {
        throw new OpenClawError("OC_ERR_NOT_FOUND", `no node with id ${id}`, {
          hint: NOT_FOUND_HINT,
          details: { nodeId: id },
        });
      }
      if (known.status === status) return known;
      return { ...known, status, decidedAt: this.now().toISOString() };
    });
  }

  /**
   * Runs `compute` against the latest state once every earlier change has finished, writes the
   * result, then publishes it. A record returned unchanged (same object) is neither written nor
   * announced.
   */
  private change(compute: (nodes: ReadonlyMap<string, NodeRecord>) => NodeRecord): Promise<NodeRecord> {
    const run = this.queue.then(async () => {
      const current = this.nodes;
      const record = compute(current);
      if (current.get(record.id) === record) return { ...record };
      const next = new Map(current);
      next.set(record.id, record);
      if (record.status === "pending") this.dropOldestPending(next);
      await writeFileAtomic(this.path, serialize(next));
      this.nodes = next;
      this.announce(record);
      return { ...record };
    });
    // A failed change must not block the ones queued after it.
    this.queue = run.catch(() => undefined);
    return run;
  }

  private dropOldestPending(nodes: Map<string, NodeRecord>): void {
    const pending = [...nodes.values()].filter((record) => record.status === "pending");
    pending.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
    for (const record of pending.slice(0, Math.max(0, pending.length - this.maxPending)))
      nodes.delete(record.id);
  }

  private announce(record: NodeRecord): void {
    for (const listener of this.listeners) {
      try {
        listener({ ...record });
      } catch (error) {
        // The change is already on disk; a failing listener must not make it look undone.
        process.emitWarning(error instanceof Error ? error : String(error), {
          code: "OPENCLAW_NODE_LISTENER",
        });
      }
    }
  }
}

/**
 * The registry file, judged: missing is a fresh start; empty (zero bytes, whitespace, NULs) holds
 * no approvals and is said so; anything else that does not parse is refused with its path.
 */
async function readNodesFile(path: string): Promise<Map<string, NodeRecord> | "empty"> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw new OpenClawError("OC_ERR_CONFIG_READ", `cannot read the node registry ${path}`, {
      hint: "check that the gateway's user owns the state directory",
      details: { path },
      cause: error,
    });
  }
  if (text.replace(/\0/g, "").trim() === "") return "empty";
  // Refusing to start beats starting empty: an empty registry would silently drop every
  // approval and, on the next write, overwrite the operator's file.
  const corrupt = (reason: string, cause?: unknown) =>
    new OpenClawError("OC_ERR_CONFIG_PARSE", `node registry ${path} is corrupt: ${reason}`, {
      hint: `restore it from a backup or repair it; or keep it aside and start over, approving every node again: mv ${path} ${path}.corrupt && openclaw gateway start`,
      details: { path },
      cause,
    });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw corrupt("it is not JSON (a write cut short, or another program's file)", error);
  }
  const parsed = nodesFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw corrupt(
      `it is not a node registry (${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "unexpected content"})`,
      parsed.error,
    );
  }
  const nodes = new Map<string, NodeRecord>();
  for (const record of parsed.data.nodes) {
    if (nodes.has(record.id)) throw corrupt(`node ${record.id} appears twice`);
    nodes.set(record.id, record);
  }
  return nodes;
}

function serialize(nodes: ReadonlyMap<string, NodeRecord>): string {
  return `${JSON.stringify({ version: 1, nodes: [...nodes.values()] }, null, 2)}\n`;
}
