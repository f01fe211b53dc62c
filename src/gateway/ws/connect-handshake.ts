import type { IncomingHttpHeaders } from "node:http";
import type { AuthOutcome } from "../../auth/index.js";
import type { GatewaySecurity } from "../gateway-security.js";
import type { BroadcastBus } from "./broadcast-bus.js";
import { verifyPresentedDevice } from "./device-proof.js";
import { CLOSE_POLICY, CLOSE_PROTOCOL, type ErrorShape } from "./frames.js";
import { pendingRequest } from "./methods/node-pairing-methods.js";
import { grantOperatorScopes, type OperatorScope } from "./operator-scopes.js";
import { negotiateProtocol } from "./protocol-version.js";

/** `connect` params after the protocol's ConnectParams schema accepted them. */
export interface ConnectParams {
  minProtocol: number;
  maxProtocol: number;
  client: {
    id: string;
    version: string;
    platform: string;
    mode: string;
    displayName?: string;
    deviceFamily?: string;
  };
  role?: string;
  scopes?: string[];
  auth?: { token?: string; password?: string; bootstrapToken?: string; deviceToken?: string };
  device?: { id: string; publicKey: string; signature: string; signedAt: number; nonce: string };
}

export interface ConnectRequest {
  params: ConnectParams;
  /** This connection's `connect.challenge` nonce. */
  nonce: string;
  remoteAddress: string;
  headers: IncomingHttpHeaders;
}

export type Admission =
  | { ok: true; role: "operator"; protocol: number; scopes: OperatorScope[]; deviceId?: string }
  | { ok: true; role: "node"; protocol: number; nodeId: string };

export interface Refusal {
  ok: false;
  error: ErrorShape;
  closeCode: number;
  closeReason: string;
  /** Worth a warning in the log (auth and identity refusals, not a client's version mismatch). */
  log?: Record<string, unknown>;
}

function refuse(error: ErrorShape, closeReason: string, log?: Record<string, unknown>): Refusal {
  return { ok: false, error, closeCode: CLOSE_POLICY, closeReason, ...(log ? { log } : {}) };
}

/** This gateway's auth refusal reasons in the protocol's AUTH_* vocabulary. */
function authDetailCode(reason: string, mode: string): string {
  if (reason === "missing_credentials")
    return mode === "password" ? "AUTH_PASSWORD_MISSING" : "AUTH_TOKEN_MISSING";
  if (reason === "invalid_token") return "AUTH_TOKEN_MISMATCH";
  if (reason === "invalid_password") return "AUTH_PASSWORD_MISMATCH";
  if (reason === "rate_limited") return "AUTH_RATE_LIMITED";
  if (reason.startsWith("missing_")) return "AUTH_IDENTITY_HEADER_REQUIRED";
  return "AUTH_UNAUTHORIZED";
}

/**
 * Auth refusals keep the `UNAUTHORIZED` code this gateway's Control UI branches on, and carry the
 * protocol's `details.code`: OpenClaw's clients read that to stop reconnecting with a bad token
 * instead of retrying forever.
 */
function authRefusal(outcome: Extract<AuthOutcome, { ok: false }>, mode: string): ErrorShape {
  return {
    code: outcome.status === 429 ? "UNAVAILABLE" : "UNAUTHORIZED",
    message: outcome.message,
    details: {
      code: authDetailCode(outcome.reason, mode),
      ocCode: outcome.status === 429 ? "OC_ERR_RATE_LIMITED" : "OC_ERR_UNAUTHORIZED",
      reason: outcome.reason,
      authReason: outcome.reason,
      canRetryWithDeviceToken: false,
      recommendedNextStep: outcome.status === 429 ? "wait_then_retry" : "update_auth_credentials",
    },
    ...(outcome.retryAfterMs !== undefined ? { retryable: true, retryAfterMs: outcome.retryAfterMs } : {}),
  };
}

/**
 * Judges a `connect`: version overlap first (a mismatched client learns that before anything
 * else), then the credential, then the role (an operator's requested scopes, a node's paired
 * device identity). Nothing here touches the socket; the connection applies the verdict.
 */
/** What judging a `connect` needs: the authenticator, the node registry, and who to tell. */
export interface ConnectJudgeDeps {
  security: Pick<GatewaySecurity, "auth" | "nodes">;
  broadcast: Pick<BroadcastBus, "publish">;
}

export async function judgeConnect(
  gateway: ConnectJudgeDeps,
  request: ConnectRequest,
): Promise<Admission | Refusal> {
  const { params } = request;
  const role = params.role ?? "operator";
  const version = negotiateProtocol({
    minProtocol: params.minProtocol,
    maxProtocol: params.maxProtocol,
    role,
    clientMode: params.client.mode,
  });
  if (!version.ok) {
    return { ok: false, error: version.error, closeCode: CLOSE_PROTOCOL, closeReason: "protocol mismatch" };
  }
  if (role !== "operator" && role !== "node") {
    return refuse(
      {
        code: "INVALID_REQUEST",
        message: `invalid role "${role}": this gateway serves operator and node`,
        details: { ocCode: "OC_ERR_BAD_REQUEST" },
      },
      "invalid role",
    );
  }

  const auth = params.auth ?? {};
  // The configured mode picks the secret, not the wire field: OpenClaw clients may send a
  // password-mode secret as `auth.token` and the other way round.
  const secret = auth.token ?? auth.password;
  const authenticator = gateway.security.auth;
  const outcome = await authenticator.authenticate({
    socketAddress: request.remoteAddress,
    headers: request.headers,
    connectAuth:
      secret === undefined ? {} : { token: auth.token ?? secret, password: auth.password ?? secret },
  });
  if (!outcome.ok) {
    return refuse(authRefusal(outcome, authenticator.mode), "unauthorized", { reason: outcome.reason });
  }

  const requestedScopes = params.scopes;
  const signingToken = auth.token ?? auth.bootstrapToken;
  const proof = params.device
    ? verifyPresentedDevice({
        device: params.device,
        nonce: request.nonce,
        role,
        scopes: requestedScopes ?? [],
        client: params.client,
        ...(signingToken !== undefined ? { token: signingToken } : {}),
      })
    : undefined;

  if (role === "operator") {
    // A device is optional for an operator that proved the gateway credential, but one that is
    // presented must be genuine: a forged identity is refused, not ignored.
    if (proof && !proof.ok) return refuse(proof.error, "device identity refused", { reason: "device" });
    return {
      ok: true,
      role: "operator",
      protocol: version.protocol,
      scopes: grantOperatorScopes(requestedScopes),
      ...(proof?.ok ? { deviceId: proof.deviceId } : {}),
    };
  }

  if (!proof) {
    return refuse(
      {
        code: "UNAUTHORIZED",
        message: "a node must present its signed device identity (connect.params.device)",
        details: { code: "DEVICE_IDENTITY_REQUIRED", ocCode: "OC_ERR_UNAUTHORIZED" },
      },
      "device identity required",
      { reason: "device_missing" },
    );
  }
  if (!proof.ok) return refuse(proof.error, "device identity refused", { reason: "device" });
  const device = params.device as NonNullable<ConnectParams["device"]>;
  const known = gateway.security.nodes.get(proof.deviceId) !== undefined;
  const record = await gateway.security.nodes.request({
    id: proof.deviceId,
    publicKey: device.publicKey,
    ...(params.client.displayName !== undefined ? { displayName: params.client.displayName } : {}),
    platform: params.client.platform,
    remoteAddress: request.remoteAddress,
  });
  if (!known && record.status === "pending") {
    gateway.broadcast.publish("node.pair.requested", pendingRequest(record));
  }
  if (record.status !== "approved") {
    const pending = record.status === "pending";
    return refuse(
      {
        code: "NOT_PAIRED",
        message: pending
          ? "device pairing required: approve it with `openclaw nodes approve <id>` (or node.pair.approve) on the gateway"
          : `this node was ${record.status}`,
        details: pending
          ? {
              code: "PAIRING_REQUIRED",
              reason: "not-paired",
              requestId: record.id,
              nodeId: record.id,
              status: record.status,
              recommendedNextStep: "wait_then_retry",
              ocCode: "OC_ERR_NOT_PAIRED",
            }
          : { code: "NODE_REVOKED", nodeId: record.id, status: record.status, ocCode: "OC_ERR_NOT_PAIRED" },
      },
      pending ? "pairing required" : `node ${record.status}`,
      { nodeId: record.id, status: record.status },
    );
  }
  return { ok: true, role: "node", protocol: version.protocol, nodeId: record.id };
}
