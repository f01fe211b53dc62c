import type { NodeRecord, NodeRegistry } from "../../../auth/index.js";
import { OpenClawError } from "../../../errors.js";
import type { BroadcastBus } from "../broadcast-bus.js";
import { requireString } from "../frames.js";
import type { MethodTable } from "./method-definition.js";

/**
 * OpenClaw's node pairing surface (`node.list`, `node.pair.*`) over this gateway's node registry
 * (`<state>/nodes.json`). The registry keeps one record per device, so a pending request's
 * `requestId` is the node id itself; `node.pair.remove` revokes.
 */

function millis(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const value = Date.parse(iso);
  return Number.isNaN(value) ? undefined : value;
}

function describedNode(record: NodeRecord) {
  return {
    nodeId: record.id,
    ...(record.displayName !== undefined ? { displayName: record.displayName } : {}),
    ...(record.platform !== undefined ? { platform: record.platform } : {}),
    ...(record.remoteAddress !== undefined ? { remoteIp: record.remoteAddress } : {}),
    // Nodes declare no invokable commands here: this gateway serves them canvases, not node.invoke.
    caps: [] as string[],
    commands: [] as string[],
  };
}

export function pendingRequest(record: NodeRecord) {
  return {
    requestId: record.id,
    ...describedNode(record),
    requiredApproveScopes: ["operator.pairing"],
    ts: millis(record.requestedAt) ?? Date.now(),
  };
}

function pairedNode(record: NodeRecord) {
  const approvedAtMs = millis(record.decidedAt);
  const lastSeenAtMs = millis(record.lastSeenAt);
  return {
    ...describedNode(record),
    createdAtMs: millis(record.requestedAt),
    ...(approvedAtMs !== undefined ? { approvedAtMs } : {}),
    ...(lastSeenAtMs !== undefined ? { lastSeenAtMs } : {}),
  };
}

function pendingRecord(nodes: NodePairingMethodsDeps["nodes"], requestId: string): NodeRecord {
  const record = nodes.get(requestId);
  if (record?.status !== "pending") {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "unknown requestId", {
      details: { requestId },
    });
  }
  return record;
}

function announceResolution(broadcast: BroadcastBus, record: NodeRecord, decision: "approved" | "rejected") {
  broadcast.publish("node.pair.resolved", {
    requestId: record.id,
    nodeId: record.id,
    decision,
    ts: Date.now(),
  });
}

/** Node pairing over WebSocket: OpenClaw's `node.*` methods and this gateway's `nodes.*`. */
export interface NodePairingMethodsDeps {
  nodes: Pick<NodeRegistry, "get" | "list" | "pending" | "approve" | "reject" | "revoke">;
  isNodeConnected(nodeId: string): boolean;
  broadcast: BroadcastBus;
}

export function nodePairingMethods(deps: NodePairingMethodsDeps): MethodTable {
  return {
    "node.list": {
      role: "operator",
      scope: "operator.read",
      handle: () => ({
        ts: Date.now(),
        nodes: deps.nodes
          .list()
          .filter((record) => record.status === "approved" || record.status === "pending")
          .map((record) => {
            const approved = record.status === "approved";
            const lastSeenAtMs = millis(record.lastSeenAt);
            return {
              ...describedNode(record),
              paired: approved,
              connected: approved && deps.isNodeConnected(record.id),
              approvalState: approved ? "approved" : "pending-approval",
              ...(approved ? {} : { pendingRequestId: record.id }),
              ...(approved && record.decidedAt ? { approvedAtMs: millis(record.decidedAt) } : {}),
              ...(lastSeenAtMs !== undefined ? { lastSeenAtMs } : {}),
            };
          }),
      }),
    },
    "node.pair.list": {
      role: "operator",
      scope: "operator.pairing",
      handle: () => {
        const records = deps.nodes.list();
        return {
          pending: records.filter((record) => record.status === "pending").map(pendingRequest),
          paired: records.filter((record) => record.status === "approved").map(pairedNode),
        };
      },
    },
    "node.pair.approve": {
      role: "operator",
      scope: "operator.pairing",
      handle: async ({ params }) => {
        const requestId = requireString(params, "requestId");
        pendingRecord(deps.nodes, requestId);
        const approved = await deps.nodes.approve(requestId);
        announceResolution(deps.broadcast, approved, "approved");
        return { requestId, node: pairedNode(approved) };
      },
    },
    "node.pair.reject": {
      role: "operator",
      scope: "operator.pairing",
      handle: async ({ params }) => {
        const requestId = requireString(params, "requestId");
        pendingRecord(deps.nodes, requestId);
        const rejected = await deps.nodes.reject(requestId);
        announceResolution(deps.broadcast, rejected, "rejected");
        return { requestId, nodeId: rejected.id };
      },
    },
    "node.pair.remove": {
      role: "operator",
      scope: "operator.pairing",
      handle: async ({ params }) => {
        const nodeId = requireString(params, "nodeId");
        if (deps.nodes.get(nodeId)?.status !== "approved") {
          throw new OpenClawError("OC_ERR_BAD_REQUEST", "unknown nodeId", { details: { nodeId } });
        }
        // Revoking ends the node's connections and capabilities at once (GatewaySecurity).
        await deps.nodes.revoke(nodeId);
        return { nodeId };
      },
    },
    // This gateway's own pairing methods, twins of its /__openclaw__/nodes routes (admin, as before).
    "nodes.list": {
      role: "operator",
      scope: "operator.admin",
      handle: async () => ({ nodes: deps.nodes.list() }),
    },
    "nodes.pending": {
      role: "operator",
      scope: "operator.admin",
      handle: async () => ({ nodes: deps.nodes.pending() }),
    },
    "nodes.approve": {
      role: "operator",
      scope: "operator.admin",
      handle: async ({ params }) => ({
        node: await deps.nodes.approve(requireString(params, "nodeId")),
      }),
    },
    "nodes.reject": {
      role: "operator",
      scope: "operator.admin",
      handle: async ({ params }) => ({
        node: await deps.nodes.reject(requireString(params, "nodeId")),
      }),
    },
    "nodes.revoke": {
      role: "operator",
      scope: "operator.admin",
      handle: async ({ params }) => ({
        node: await deps.nodes.revoke(requireString(params, "nodeId")),
      }),
    },
  };
}
