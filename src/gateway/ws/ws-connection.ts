import { randomUUID } from "node:crypto";
import type { WebSocket } from "ws";
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

export const SERVER_EVENTS = ["connect.challenge", "tick", "chat", "agent", "shutdown"];
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
  private scopes = new Set<Scope>();
  private eventSeq = 0;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly onBroadcast = (event: string, payload: unknown) => this.sendEvent(event, payload);

  constructor(
    private readonly socket: WebSocket,
    private readonly gateway: GatewayContext,
    private readonly remoteAddress: string,
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
      this.handshake(parsed.frame);
      return;
    }
    void this.dispatch(parsed.frame);
  }

  private handshake(frame: RequestFrame): void {
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
    const role = typeof params.role === "string" ? params.role : "operator";
    this.scopes = new Set(OPERATOR_SCOPES);
    this.handshakeDone = true;
    this.gateway.events.on("broadcast", this.onBroadcast);
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
      const payload = await method.handle({ params: paramsObject(frame.params), gateway: this.gateway });
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
  }
}
