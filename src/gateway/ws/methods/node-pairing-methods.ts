import type { NodeRecord } from "../../../auth/index.js";
import { OpenClawError } from "../../../errors.js";
import type { GatewayContext } from "../../gateway-context.js";
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

function pendingRecord(gateway: GatewayContext, requestId: string): NodeRecord {
  const record = gateway.security.nodes.get(requestId);
  if (record?.status !== "pending") {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "unknown requestId", {
      details: { requestId },
    });
  }
  return record;
}

function announceResolution(gateway: GatewayContext, record: NodeRecord, decision: "approved" | "rejected") {
  gateway.events.emit("broadcast", "node.pair.resolved", {
    requestId: record.id,
    nodeId: record.id,
    decision,
    ts: Date.now(),
  });
}

export const NODE_PAIRING_METHODS: MethodTable = {
  "node.list": {
    role: "operator",
    scope: "operator.read",
    handle: ({ gateway }) => ({
      ts: Date.now(),
      nodes: gateway.security.nodes
        .list()
        .filter((record) => record.status === "approved" || record.status === "pending")
        .map((record) => {
          const approved = record.status === "approved";
          const lastSeenAtMs = millis(record.lastSeenAt);
          return {
            ...describedNode(record),
            paired: approved,
            connected: approved && gateway.security.isNodeConnected(record.id),
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
    handle: ({ gateway }) => {
      const records = gateway.security.nodes.list();
      return {
        pending: records.filter((record) => record.status === "pending").map(pendingRequest),
        paired: records.filter((record) => record.status === "approved").map(pairedNode),
      };
    },
  },
  "node.pair.approve": {
    role: "operator",
    scope: "operator.pairing",
    handle: async ({ gateway, params }) => {
      const requestId = requireString(params, "requestId");
      pendingRecord(gateway, requestId);
      const approved = await gateway.security.nodes.approve(requestId);
      announceResolution(gateway, approved, "approved");
      return { requestId, node: pairedNode(approved) };
    },
  },
  "node.pair.reject": {
    role: "operator",
    scope: "operator.pairing",
    handle: async ({ gateway, params }) => {
      const requestId = requireString(params, "requestId");
      pendingRecord(gateway, requestId);
      const rejected = await gateway.security.nodes.reject(requestId);
      announceResolution(gateway, rejected, "rejected");
      return { requestId, nodeId: rejected.id };
    },
  },
  "node.pair.remove": {
    role: "operator",
    scope: "operator.pairing",
    handle: async ({ gateway, params }) => {
      const nodeId = requireString(params, "nodeId");
      if (gateway.security.nodes.get(nodeId)?.status !== "approved") {
        throw new OpenClawError("OC_ERR_BAD_REQUEST", "unknown nodeId", { details: { nodeId } });
      }
      // Revoking ends the node's connections and capabilities at once (GatewaySecurity).
      await gateway.security.nodes.revoke(nodeId);
      return { nodeId };
    },
  },
  // This gateway's own pairing methods, twins of its /__openclaw__/nodes routes (admin, as before).
  "nodes.list": {
    role: "operator",
    scope: "operator.admin",
    handle: async ({ gateway }) => ({ nodes: gateway.security.nodes.list() }),
  },
  "nodes.pending": {
    role: "operator",
    scope: "operator.admin",
    handle: async ({ gateway }) => ({ nodes: gateway.security.nodes.pending() }),
  },
  "nodes.approve": {
    role: "operator",
    scope: "operator.admin",
    handle: async ({ gateway, params }) => ({
      node: await gateway.security.nodes.approve(requireString(params, "nodeId")),
    }),
  },
  "nodes.reject": {
    role: "operator",
    scope: "operator.admin",
    handle: async ({ gateway, params }) => ({
      node: await gateway.security.nodes.reject(requireString(params, "nodeId")),
    }),
  },
  "nodes.revoke": {
    role: "operator",
    scope: "operator.admin",
    handle: async ({ gateway, params }) => ({
      node: await gateway.security.nodes.revoke(requireString(params, "nodeId")),
    }),
  },
};
