import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { WebSocket } from "ws";
import { OpenClawError } from "../../errors.js";
import type { Logger } from "../../logging/index.js";
import type { GatewaySecurity } from "../gateway-security.js";
import type { BroadcastBus } from "./broadcast-bus.js";
import { rendersFromMessage, withMessageSnapshot } from "./chat-events.js";
import type { ClientPresence } from "./client-presence.js";
import { type Admission, type ConnectParams, judgeConnect } from "./connect-handshake.js";
import {
  CLOSE_POLICY,
  CLOSE_TOO_BIG,
  CLOSE_TRY_AGAIN,
  type ErrorShape,
  HANDSHAKE_TIMEOUT_MS,
  MAX_BUFFERED_BYTES,
  MAX_PAYLOAD_BYTES,
  MAX_PREAUTH_PAYLOAD_BYTES,
  paramsObject,
  type RequestFrame,
  TICK_INTERVAL_MS,
  toErrorShape,
} from "./frames.js";
import { HeldDeltas } from "./held-deltas.js";
import { buildHelloOk } from "./hello-ok.js";
import { missingScopeError, scopeSatisfied } from "./operator-scopes.js";
import {
  assertParams,
  checkRequestFrame,
  connectParamsProblem,
  loadProtocolContract,
  type ProtocolContract,
  protocolContract,
} from "./protocol-contract.js";
import { findMethod, type MethodTable, methodsForRole } from "./ws-methods.js";

type Admitted = Extract<Admission, { ok: true }>;

/** What one WebSocket client's connection needs of the gateway. */
export interface ConnectionDeps {
  version: string;
  startedAt: number;
  logger: Logger;
  presence: ClientPresence;
  security: Pick<GatewaySecurity, "auth" | "nodes" | "attachNode" | "capabilities">;
  broadcast: BroadcastBus;
  /** Masks credential values in every frame sent. */
  redactor: { redact(text: string): string };
  methods: MethodTable;
  defaultAgentId(): string;
}

/** Frames a client may send before the protocol contract has loaded (the first connection only). */
const MAX_EARLY_FRAMES = 8;

/**
 * One WebSocket client: challenge, `connect` → `hello-ok`, then request/response frames plus
 * broadcast events. Nothing but `connect` is served before the handshake completes, and every
 * refusal is an answer in the protocol's error shape before the socket closes: a client learns
 * why, instead of seeing a dropped connection.
 */
export class GatewayConnection {
  readonly connId = randomUUID();
  private readonly nonce = randomUUID();
  private admitted: Admitted | undefined;
  private handshaking = false;
  private grantedScopes = new Set<string>();
  private readonly nodeSessions = new Set<string>();
  private detachNode: (() => void) | undefined;
  private eventSeq = 0;
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | undefined;
  private readonly onBroadcast = (event: string, payload: unknown) =>
    this.outgoing.send(event, this.wantsMessageSnapshots ? withMessageSnapshot(event, payload) : payload);
  /** Broadcasts go through here: a client that falls behind gets its chat deltas merged. */
  private readonly outgoing = new HeldDeltas({
    bufferedBytes: () => this.socket.bufferedAmount,
    write: (event, payload) => this.sendEvent(event, payload),
  });
  private wantsMessageSnapshots = false;
  /** Frames that arrived while the protocol contract was loading, judged in order once it has. */
  private early: [Buffer, boolean][] | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly gateway: ConnectionDeps,
    private readonly remoteAddress: string,
    private readonly headers: IncomingHttpHeaders = {},
  ) {
    socket.on("message", (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    socket.on("close", () => this.dispose());
    socket.on("error", (error) =>
      gateway.logger.debug({ err: error, connId: this.connId }, "websocket error"),
    );
    // The challenge `ts` is what device-signing clients use as `signedAt`: a whole millisecond.
    this.sendEvent("connect.challenge", { nonce: this.nonce, ts: Date.now() });
    const handshakeTimer = setTimeout(() => {
      if (!this.admitted) socket.close(CLOSE_POLICY, "connect timeout");
    }, HANDSHAKE_TIMEOUT_MS);
    this.timers.push(handshakeTimer);
    if (!protocolContract()) {
      this.early = [];
      loadProtocolContract().then(
        () => {
          const early = this.early ?? [];
          this.early = undefined;
          for (const [data, isBinary] of early) this.onMessage(data, isBinary);
        },
        (error: unknown) => {
          gateway.logger.error(
            { err: error },
            "cannot load @openclaw/gateway-protocol: reinstall dependencies",
          );
          socket.close(1011, "protocol contract unavailable");
        },
      );
    }
  }

  shutdown(reason: string): void {
    this.sendEvent("shutdown", { reason });
    this.socket.close(1012, "gateway shutting down");
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    // Before connect succeeds the sender is a stranger: a small frame limit bounds what it can
    // make the gateway parse. After it, the server's maxPayload (hello-ok policy) applies.
    const limit = this.admitted ? MAX_PAYLOAD_BYTES : MAX_PREAUTH_PAYLOAD_BYTES;
    if (data.length > limit) {
      this.socket.close(CLOSE_TOO_BIG, this.admitted ? "payload too large" : "preauth payload too large");
      return;
    }
    if (isBinary) {
      this.socket.close(CLOSE_POLICY, "binary frames are not part of the protocol");
      return;
    }
    const contract = protocolContract();
    if (!contract || this.early) {
      if (!this.early || this.early.length >= MAX_EARLY_FRAMES) {
        this.socket.close(CLOSE_TRY_AGAIN, "gateway starting; retry shortly");
        return;
      }
      this.early.push([data, isBinary]);
      return;
    }
    const checked = checkRequestFrame(contract, data.toString("utf8"));
    if (!this.admitted) {
      this.onPreauthFrame(contract, checked);
      return;
    }
    if (!checked.ok) {
      // A malformed frame after the handshake is answered, not punished: the socket stays.
      this.sendError(checked.id ?? "invalid", { code: "INVALID_REQUEST", message: checked.reason });
      return;
    }
    void this.dispatch(contract, checked.frame);
  }

  private onPreauthFrame(contract: ProtocolContract, checked: ReturnType<typeof checkRequestFrame>): void {
    if (!checked.ok) {
      if (checked.id) this.sendError(checked.id, { code: "INVALID_REQUEST", message: checked.reason });
      this.socket.close(CLOSE_POLICY, checked.reason.slice(0, 120));
      return;
    }
    const { frame } = checked;
    // One connect at a time: frames sent while it is judged are refused, not queued.
    if (this.handshaking) {
      this.sendError(frame.id, { code: "INVALID_REQUEST", message: "connect is in progress" });
      return;
    }
    if (frame.method !== "connect") {
      this.refuse(frame.id, "invalid handshake: first request must be connect", "connect required");
      return;
    }
    const problem = connectParamsProblem(contract, frame.params);
    if (problem) {
      this.refuse(frame.id, problem, "invalid connect params");
      return;
    }
    this.handshaking = true;
    this.handshake(frame.id, frame.params as ConnectParams)
      .catch((error: unknown) => {
        this.sendError(frame.id, toErrorShape(error));
        this.socket.close(CLOSE_POLICY, "connect failed");
      })
      .finally(() => {
        this.handshaking = false;
      });
  }

  private refuse(id: string, message: string, closeReason: string): void {
    this.sendError(id, toErrorShape(new OpenClawError("OC_ERR_BAD_REQUEST", message)));
    this.socket.close(CLOSE_POLICY, closeReason);
  }

  private async handshake(id: string, params: ConnectParams): Promise<void> {
    const verdict = await judgeConnect(this.gateway, {
      params,
      nonce: this.nonce,
      remoteAddress: this.remoteAddress,
      headers: this.headers,
    });
    if (!verdict.ok) {
      if (verdict.log) {
        this.gateway.logger.warn(
          { client: this.remoteAddress, connId: this.connId, ...verdict.log },
          "websocket connect refused",
        );
      }
      this.sendError(id, verdict.error);
      this.socket.close(verdict.closeCode, verdict.closeReason);
      return;
    }
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (verdict.role === "node") {
      this.detachNode = this.gateway.security.attachNode(verdict.nodeId, {
        close: (reason) => this.socket.close(CLOSE_POLICY, reason),
      });
    } else {
      this.grantedScopes = new Set(verdict.scopes);
      this.wantsMessageSnapshots = rendersFromMessage(params.client.id);
      // Operators see every session's events; a node sees only what is addressed to it.
      this.unsubscribe = this.gateway.broadcast.subscribe(this.onBroadcast);
    }
    this.admitted = verdict;
    this.gateway.presence.add(this.connId, {
      ip: this.remoteAddress,
      version: params.client.version,
      platform: params.client.platform,
      mode: params.client.mode,
      roles: [verdict.role],
      ...(params.client.displayName ? { host: params.client.displayName } : {}),
      ...(params.client.deviceFamily ? { deviceFamily: params.client.deviceFamily } : {}),
      ...(verdict.role === "operator" ? { scopes: verdict.scopes } : {}),
      ...(verdict.role === "operator" && verdict.deviceId ? { deviceId: verdict.deviceId } : {}),
      ...(verdict.role === "node" ? { deviceId: verdict.nodeId } : {}),
    });
    this.timers.push(setInterval(() => this.sendEvent("tick", { ts: Date.now() }), TICK_INTERVAL_MS));
    this.send({
      type: "res",
      id,
      ok: true,
      payload: buildHelloOk(
        { ...this.gateway, authMode: () => this.gateway.security.auth.mode },
        verdict,
        this.connId,
        methodsForRole(this.gateway.methods, verdict.role),
      ),
    });
    this.gateway.logger.debug(
      {
        connId: this.connId,
        remoteAddress: this.remoteAddress,
        protocol: verdict.protocol,
        role: verdict.role,
        client: params.client.id,
        ...(verdict.role === "operator" ? { scopes: verdict.scopes } : {}),
        ...(verdict.role === "operator" && verdict.deviceId ? { deviceId: verdict.deviceId } : {}),
      },
      "client connected",
    );
  }

  /** Role first, then scope, then params: the order OpenClaw's gateway checks them in. */
  private authorize(method: string, definition: ReturnType<typeof findMethod>): ErrorShape | undefined {
    const role = this.admitted?.role;
    if (definition.role !== "any" && definition.role !== role) {
      return toErrorShape(new OpenClawError("OC_ERR_BAD_REQUEST", `unauthorized role: ${role}`));
    }
    if (definition.role === "operator" && !scopeSatisfied(definition.scope, this.grantedScopes)) {
      this.gateway.logger.debug({ connId: this.connId, method, scope: definition.scope }, "missing scope");
      return missingScopeError(definition.scope);
    }
    return undefined;
  }

  private async dispatch(contract: ProtocolContract, frame: RequestFrame): Promise<void> {
    try {
      if (frame.method === "connect") {
        this.sendError(frame.id, { code: "INVALID_REQUEST", message: "already connected" });
        return;
      }
      const definition = findMethod(this.gateway.methods, frame.method);
      const refusal = this.authorize(frame.method, definition);
      if (refusal) {
        this.sendError(frame.id, refusal);
        return;
      }
      // Clients may omit params for a method that takes none; the schemas want an object.
      const params = frame.params ?? {};
      assertParams(contract, frame.method, params);
      const nodeId = this.admitted?.role === "node" ? this.admitted.nodeId : undefined;
      const payload = await definition.handle({
        params: paramsObject(params),
        client: {
          connId: this.connId,
          ...(nodeId ? { nodeId } : {}),
          isAdmin: this.grantedScopes.has("operator.admin"),
          onSessionStart: (sessionKey) => this.nodeSessions.add(sessionKey),
          accept: (accepted) => this.send({ type: "res", id: frame.id, ok: true, payload: accepted }),
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
    this.gateway.presence.remove(this.connId);
    this.unsubscribe?.();
    this.outgoing.dispose();
    // A node's sessions live as long as its connection: their capabilities die with it.
    if (this.admitted?.role === "node") {
      for (const sessionKey of this.nodeSessions) {
        this.gateway.security.capabilities.endSession(this.admitted.nodeId, sessionKey);
      }
      this.detachNode?.();
    }
  }
}
