import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { WebSocket } from "ws";
import { verifyDeviceSignature } from "../../auth/index.js";
import { OpenClawError } from "../../errors.js";
import type { GatewayContext } from "../gateway-context.js";
import {
  type ErrorShape,
  HANDSHAKE_TIMEOUT_MS,
  MAX_BUFFERED_BYTES,
  MAX_PAYLOAD_BYTES,
  MAX_PREAUTH_PAYLOAD_BYTES,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  parseRequestFrame,
  type RequestFrame,
  TICK_INTERVAL_MS,
  toErrorShape,
} from "./frames.js";
import { findMethod, METHODS, paramsObject, type Scope } from "./ws-methods.js";

export const SERVER_EVENTS = ["connect.challenge", "tick", "chat", "agent", "canvas", "shutdown"];
const OPERATOR_SCOPES: Scope[] = ["operator.read", "operator.write", "operator.admin"];

/** Close codes: 1008 policy (bad handshake), 1002 protocol mismatch, 1013 slow consumer. */
const CLOSE_POLICY = 1008;
const CLOSE_PROTOCOL = 1002;
const CLOSE_TRY_AGAIN = 1013;

/**
 * One WebSocket client: challenge, `connect` → `hello-ok`, then request/response frames plus
 * broadcast events. Nothing but `connect` is served before the handshake completes.
 */
export class GatewayConnection {
  readonly connId = randomUUID();
  private readonly nonce = randomUUID();
  private handshakeDone = false;
  private handshaking = false;
  private scopes = new Set<Scope>();
  private nodeId: string | undefined;
  private readonly nodeSessions = new Set<string>();
  private detachNode: (() => void) | undefined;
  private eventSeq = 0;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly onBroadcast = (event: string, payload: unknown) => this.sendEvent(event, payload);

  constructor(
    private readonly socket: WebSocket,
    private readonly gateway: GatewayContext,
    private readonly remoteAddress: string,
    private readonly headers: IncomingHttpHeaders = {},
  ) {
    socket.on("message", (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    socket.on("close", () => this.dispose());
    socket.on("error", (error) =>
      gateway.logger.debug({ err: error, connId: this.connId }, "websocket error"),
    );
    this.sendEvent("connect.challenge", { nonce: this.nonce, ts: Date.now() });
    const handshakeTimer = setTimeout(() => {
      if (!this.handshakeDone) socket.close(CLOSE_POLICY, "connect timeout");
    }, HANDSHAKE_TIMEOUT_MS);
    this.timers.push(handshakeTimer);
  }

  shutdown(reason: string): void {
    this.sendEvent("shutdown", { reason, restartExpectedMs: null });
    this.socket.close(1012, "gateway shutting down");
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    const limit = this.handshakeDone ? MAX_PAYLOAD_BYTES : MAX_PREAUTH_PAYLOAD_BYTES;
    if (data.length > limit) {
      this.socket.close(CLOSE_POLICY, "payload too large");
      return;
    }
    if (isBinary) {
      this.socket.close(CLOSE_POLICY, "binary frames are not part of the protocol");
      return;
    }
    const parsed = parseRequestFrame(data.toString("utf8"));
    if (!parsed.ok) {
      if (parsed.id) this.sendError(parsed.id, { code: "INVALID_REQUEST", message: parsed.reason });
      else this.socket.close(CLOSE_POLICY, parsed.reason.slice(0, 120));
      return;
    }
    if (!this.handshakeDone) {
      // One connect at a time: frames sent while it is judged are refused, not queued.
      if (this.handshaking) {
        this.sendError(parsed.frame.id, { code: "INVALID_REQUEST", message: "connect is in progress" });
        return;
      }
      this.handshaking = true;
      this.handshake(parsed.frame)
        .catch((error: unknown) => {
          this.sendError(parsed.frame.id, toErrorShape(error));
          this.socket.close(CLOSE_POLICY, "connect failed");
        })
        .finally(() => {
          this.handshaking = false;
        });
      return;
    }
    void this.dispatch(parsed.frame);
  }

  private async handshake(frame: RequestFrame): Promise<void> {
    if (frame.method !== "connect") {
      this.sendError(frame.id, { code: "INVALID_REQUEST", message: "the first request must be connect" });
      this.socket.close(CLOSE_POLICY, "connect required");
      return;
    }
    const params = frame.params as Record<string, unknown> | undefined;
    const minProtocol = params?.minProtocol;
    const maxProtocol = params?.maxProtocol;
    if (
      !params ||
      !Number.isInteger(minProtocol) ||
      !Number.isInteger(maxProtocol) ||
      typeof params.client !== "object" ||
      params.client === null
    ) {
      this.sendError(frame.id, {
        code: "INVALID_REQUEST",
        message: "connect needs minProtocol, maxProtocol (integers) and client",
      });
      this.socket.close(CLOSE_POLICY, "invalid connect params");
      return;
    }
    const protocol = Math.min(maxProtocol as number, PROTOCOL_VERSION);
    if (protocol < Math.max(minProtocol as number, MIN_PROTOCOL_VERSION)) {
      this.sendError(frame.id, {
        code: "INVALID_REQUEST",
        message: `protocol mismatch: client speaks v${minProtocol}-v${maxProtocol}, this gateway speaks v${MIN_PROTOCOL_VERSION}-v${PROTOCOL_VERSION}`,
        details: {
          code: "PROTOCOL_MISMATCH",
          clientMinProtocol: minProtocol,
          clientMaxProtocol: maxProtocol,
          expectedProtocol: PROTOCOL_VERSION,
        },
      });
      this.socket.close(CLOSE_PROTOCOL, "protocol mismatch");
      return;
    }
    const connectAuth =
      typeof params.auth === "object" && params.auth !== null ? (params.auth as Record<string, unknown>) : {};
    const outcome = this.gateway.security.auth.authenticate({
      socketAddress: this.remoteAddress,
      headers: this.headers,
      connectAuth: {
        ...(typeof connectAuth.token === "string" ? { token: connectAuth.token } : {}),
        ...(typeof connectAuth.password === "string" ? { password: connectAuth.password } : {}),
      },
    });
    if (!outcome.ok) {
      this.gateway.logger.warn(
        { reason: outcome.reason, client: this.remoteAddress, connId: this.connId },
        "websocket connect refused",
      );
      this.sendError(frame.id, {
        code: outcome.status === 429 ? "UNAVAILABLE" : "UNAUTHORIZED",
        message: outcome.message,
        details: { code: outcome.reason.toUpperCase(), reason: outcome.reason },
        ...(outcome.retryAfterMs !== undefined
          ? { retryable: true, retryAfterMs: outcome.retryAfterMs }
          : {}),
      });
      this.socket.close(CLOSE_POLICY, "unauthorized");
      return;
    }
    const role = typeof params.role === "string" ? params.role : "operator";
    if (role === "node") {
      if (!(await this.admitNode(frame, params, connectAuth))) return;
      this.scopes = new Set<Scope>(["node"]);
    } else if (role === "operator") {
      this.scopes = new Set(OPERATOR_SCOPES);
    } else {
      this.sendError(frame.id, {
        code: "INVALID_REQUEST",
        message: `unknown role "${role}": operator or node`,
      });
      this.socket.close(CLOSE_POLICY, "unknown role");
      return;
    }
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.handshakeDone = true;
    // Operators see every session's events; a node sees only what is addressed to it.
    if (role === "operator") this.gateway.events.on("broadcast", this.onBroadcast);
    this.timers.push(setInterval(() => this.sendEvent("tick", { ts: Date.now() }), TICK_INTERVAL_MS));
    this.send({
      type: "res",
      id: frame.id,
      ok: true,
      payload: {
        type: "hello-ok",
        protocol,
        server: { version: this.gateway.version, connId: this.connId },
        features: { methods: Object.keys(METHODS), events: SERVER_EVENTS },
        snapshot: {
          presence: [],
          health: { ok: true, ts: Date.now() },
          stateVersion: { presence: 0, health: 0 },
          uptimeMs: Math.round(Date.now() - this.gateway.startedAt),
        },
        auth: { role, scopes: [...this.scopes] },
        policy: {
          maxPayload: MAX_PAYLOAD_BYTES,
          maxBufferedBytes: MAX_BUFFERED_BYTES,
          tickIntervalMs: TICK_INTERVAL_MS,
        },
      },
    });
    this.gateway.logger.debug(
      { connId: this.connId, remoteAddress: this.remoteAddress, protocol },
      "client connected",
    );
  }

  /**
   * A node proves its Ed25519 identity by signing this connection's challenge nonce; an unknown
   * node is recorded as pending and refused until an operator approves it.
   */
  private async admitNode(
    frame: RequestFrame,
    params: Record<string, unknown>,
    connectAuth: Record<string, unknown>,
  ): Promise<boolean> {
    const refuse = (code: string, message: string, details: Record<string, unknown>) => {
      this.gateway.logger.warn(
        { client: this.remoteAddress, connId: this.connId, ...details },
        "node refused",
      );
      this.sendError(frame.id, { code, message, details });
      this.socket.close(CLOSE_POLICY, message.slice(0, 120));
      return false;
    };
    const device = params.device as Record<string, unknown> | undefined;
    const client = params.client as Record<string, unknown>;
    if (
      !device ||
      typeof device.id !== "string" ||
      typeof device.publicKey !== "string" ||
      typeof device.signature !== "string" ||
      typeof device.signedAt !== "number" ||
      typeof device.nonce !== "string"
    ) {
      return refuse("UNAUTHORIZED", "a node must present its device identity", {
        code: "DEVICE_IDENTITY_REQUIRED",
      });
    }
    const scopes = Array.isArray(params.scopes)
      ? params.scopes.filter((scope) => typeof scope === "string")
      : [];
    const verdict = verifyDeviceSignature({
      device: {
        id: device.id,
        publicKey: device.publicKey,
        signature: device.signature,
        signedAt: device.signedAt,
        nonce: device.nonce,
      },
      expectedNonce: this.nonce,
      clientId: String(client.id ?? ""),
      clientMode: String(client.mode ?? ""),
      role: "node",
      scopes,
      ...(typeof connectAuth.token === "string" ? { token: connectAuth.token } : {}),
      ...(typeof client.platform === "string" ? { platform: client.platform } : {}),
      ...(typeof client.deviceFamily === "string" ? { deviceFamily: client.deviceFamily } : {}),
    });
    if (!verdict.ok) {
      return refuse("UNAUTHORIZED", `device identity refused (${verdict.reason})`, {
        code: `DEVICE_${verdict.reason.toUpperCase()}`,
        reason: `device_${verdict.reason}`,
      });
    }
    const record = await this.gateway.security.nodes.request({
      id: verdict.deviceId,
      publicKey: device.publicKey,
      ...(typeof client.displayName === "string" ? { displayName: client.displayName } : {}),
      ...(typeof client.platform === "string" ? { platform: client.platform } : {}),
      remoteAddress: this.remoteAddress,
    });
    if (record.status !== "approved") {
      return refuse(
        "NOT_PAIRED",
        record.status === "pending"
          ? "this node is waiting for approval: `openclaw nodes approve <id>` on the gateway host"
          : `this node was ${record.status}`,
        {
          code: record.status === "pending" ? "PAIRING_REQUIRED" : "NODE_REVOKED",
          nodeId: record.id,
          status: record.status,
        },
      );
    }
    this.nodeId = record.id;
    this.detachNode = this.gateway.security.attachNode(record.id, {
      close: (reason) => this.socket.close(CLOSE_POLICY, reason),
    });
    return true;
  }

  private async dispatch(frame: RequestFrame): Promise<void> {
    try {
      if (frame.method === "connect") throw new OpenClawError("OC_ERR_BAD_REQUEST", "already connected");
      const method = findMethod(frame.method);
      if (!this.scopes.has(method.scope)) {
        this.sendError(frame.id, {
          code: "FORBIDDEN",
          message: `missing scope ${method.scope} for ${frame.method}`,
          details: { code: "MISSING_SCOPE", missingScope: method.scope, requiredScopes: [method.scope] },
        });
        return;
      }
      const payload = await method.handle({
        params: paramsObject(frame.params),
        gateway: this.gateway,
        client: {
          connId: this.connId,
          ...(this.nodeId ? { nodeId: this.nodeId } : {}),
          onSessionStart: (sessionKey) => this.nodeSessions.add(sessionKey),
        },
      });
      this.send({ type: "res", id: frame.id, ok: true, payload: payload ?? {} });
    } catch (error) {
      this.sendError(frame.id, toErrorShape(error));
    }
  }

  private sendError(id: string, error: ErrorShape): void {
    this.send({ type: "res", id, ok: false, error });
  }

  private sendEvent(event: string, payload: unknown): void {
    this.send({ type: "event", event, payload, seq: this.eventSeq++ });
  }

  private send(frame: Record<string, unknown>): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    // A client that stops reading must not make the gateway buffer without bound.
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.socket.close(CLOSE_TRY_AGAIN, "slow consumer");
      return;
    }
    this.socket.send(this.gateway.redactor.redact(JSON.stringify(frame)));
  }

  private dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.gateway.events.off("broadcast", this.onBroadcast);
    // A node's sessions live as long as its connection: their capabilities die with it.
    if (this.nodeId) {
      for (const sessionKey of this.nodeSessions) {
        this.gateway.security.capabilities.endSession(this.nodeId, sessionKey);
      }
      this.detachNode?.();
    }
  }
}
