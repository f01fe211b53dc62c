import { OpenClawError } from "../errors.js";
import type {
  NodeChange,
  NodeChangeObserver,
  NodeDecision,
  NodeRecord,
  NodeRequest,
} from "./node-pairing-store.js";

type Nodes = ReadonlyMap<string, NodeRecord>;

/** What one change does: the records after it (undefined: nothing to store), what to announce, the answer. */
export interface NodeMutation {
  next: Nodes | undefined;
  changes: NodeChange[];
  answer: NodeRecord;
}

/**
 * What every NodePairingStore decides the same way, whatever keeps the records: a backend
 * supplies the state and the atomicity, these supply the rules.
 */

/** Client-supplied labels are shown in tables and logs; a bound keeps them readable. */
const MAX_LABEL_LENGTH = 200;

const NOT_FOUND_HINT =
  "list nodes waiting for approval with `openclaw nodes pending`, or all of them with `openclaw nodes list`";

export function badNodeRequest(input: NodeRequest): OpenClawError | undefined {
  return input.id.length === 0
    ? new OpenClawError("OC_ERR_BAD_REQUEST", "a node request needs a device id")
    : undefined;
}

/**
 * The record after a device asked to connect. The name and platform shown to the operator at
 * approval stay as they were, so an approved device cannot relabel itself.
 */
function requestedNode(known: NodeRecord | undefined, input: NodeRequest, now: string): NodeRecord {
  if (known === undefined) {
    const record: NodeRecord = {
      id: input.id,
      publicKey: input.publicKey,
      status: "pending",
      requestedAt: now,
      lastSeenAt: now,
    };
    if (input.displayName !== undefined) record.displayName = input.displayName.slice(0, MAX_LABEL_LENGTH);
    if (input.platform !== undefined) record.platform = input.platform.slice(0, MAX_LABEL_LENGTH);
    if (input.remoteAddress !== undefined) record.remoteAddress = input.remoteAddress;
    return record;
  }
  if (known.publicKey !== input.publicKey) {
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
}

function unknownNode(id: string): OpenClawError {
  return new OpenClawError("OC_ERR_NOT_FOUND", `no node with id ${id}`, {
    hint: NOT_FOUND_HINT,
    details: { nodeId: id },
  });
}

/** The record after a decision; the same object when it changes nothing (not stored, not announced). */
function decidedNode(known: NodeRecord | undefined, id: string, status: NodeDecision, now: string) {
  if (known === undefined) throw unknownNode(id);
  if (known.status === status) return known;
  return { ...known, status, decidedAt: now };
}

/** The pending requests to drop so that at most `maxPending` remain: the oldest first. */
function pendingBeyondBound(nodes: Iterable<NodeRecord>, maxPending: number): NodeRecord[] {
  const pending = [...nodes].filter((record) => record.status === "pending");
  pending.sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  return pending.slice(0, Math.max(0, pending.length - maxPending));
}

/** A device asked to connect (see NodePairingStore.request); a new pending one may push out the oldest. */
export function requestMutation(
  nodes: Nodes,
  input: NodeRequest,
  now: string,
  maxPending: number,
): NodeMutation {
  const record = requestedNode(nodes.get(input.id), input, now);
  const next = new Map(nodes).set(record.id, record);
  const dropped = record.status === "pending" ? pendingBeyondBound(next.values(), maxPending) : [];
  for (const each of dropped) next.delete(each.id);
  const removals = dropped.map((node): NodeChange => ({ type: "node-removed", node }));
  return { next, changes: [{ type: "node-updated", node: record }, ...removals], answer: record };
}

export function decisionMutation(nodes: Nodes, id: string, status: NodeDecision, now: string): NodeMutation {
  const known = nodes.get(id);
  const record = decidedNode(known, id, status, now);
  if (record === known) return { next: undefined, changes: [], answer: record };
  return {
    next: new Map(nodes).set(id, record),
    changes: [{ type: "node-updated", node: record }],
    answer: record,
  };
}

export function removalMutation(nodes: Nodes, id: string): NodeMutation {
  const known = nodes.get(id);
  if (known === undefined) throw unknownNode(id);
  const next = new Map(nodes);
  next.delete(id);
  return { next, changes: [{ type: "node-removed", node: known }], answer: known };
}

/** Tells every observer; one that throws must not make a stored change look undone. */
export function announceNodeChange(observers: Iterable<NodeChangeObserver>, change: NodeChange): void {
  for (const observer of observers) {
    try {
      observer({ type: change.type, node: { ...change.node } });
    } catch (error) {
      process.emitWarning(error instanceof Error ? error : String(error), {
        code: "OPENCLAW_NODE_LISTENER",
      });
    }
  }
}
