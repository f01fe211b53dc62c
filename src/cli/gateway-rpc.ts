import type WebSocket from "ws";
import { ERROR_SPECS, type ErrorCode, OpenClawError } from "../errors.js";
import { VERSION } from "../version.js";
import { cliPaths } from "./cli-context.js";
import { localGatewayToken } from "./daemon.js";
import { requireRunningGateway } from "./gateway-api.js";
import { readCa } from "./local-http.js";

/** The newest protocol this client speaks; the gateway picks within [3, 4]. */
const PROTOCOL_RANGE = { minProtocol: 3, maxProtocol: 4 };
const DEFAULT_TIMEOUT_MS = 10_000;

interface ResponseFrame {
  type: "res";
  id: string;
  ok: boolean;
  payload?: Record<string, unknown>;
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

export interface RequestOptions {
  timeoutMs?: number;
  /** Wait past an `{ status: "accepted" }` answer for the final one (the `agent` method). */
  expectFinal?: boolean;
  /** Told the accepted answer (its runId), with expectFinal. */
  onAccepted?: (payload: Record<string, unknown>) => void;
}

/** Protocol errors that carry no `ocCode` (the missing-scope one is closed, byte for byte). */
const PROTOCOL_CODES: Record<string, ErrorCode> = {
  FORBIDDEN: "OC_ERR_FORBIDDEN",
  UNAUTHORIZED: "OC_ERR_UNAUTHORIZED",
  NOT_PAIRED: "OC_ERR_NOT_PAIRED",
};

/** A protocol error frame as our typed error: the gateway's own code rides in `details.ocCode`. */
function frameError(method: string, error: NonNullable<ResponseFrame["error"]>): OpenClawError {
  const ocCode = error.details?.ocCode;
  const code: ErrorCode =
    typeof ocCode === "string" && ocCode in ERROR_SPECS
      ? (ocCode as ErrorCode)
      : (PROTOCOL_CODES[error.code] ?? "OC_ERR_INTERNAL");
  const hint = typeof error.details?.hint === "string" ? error.details.hint : undefined;
  return new OpenClawError(code, `${method}: ${error.message} (${error.code})`, {
    ...(hint ? { hint } : {}),
    details: { protocolCode: error.code, ...(error.details ?? {}) },
  });
}

/**
 * One operator connection to the running gateway over its WebSocket protocol, as OpenClaw's CLI
 * makes: answer `connect.challenge` with `connect`, then requests matched to responses by id.
 * The local CLI token authenticates it from loopback whatever the auth mode.
 */
export class GatewayRpcClient {
  private nextId = 1;
  private readonly pending = new Map<
    string,
    {
      expectFinal: boolean;
      onAccepted: ((payload: Record<string, unknown>) => void) | undefined;
      resolve: (frame: ResponseFrame) => void;
      reject: (error: Error) => void;
    }
  >();
  private closedError: Error | undefined;

  private constructor(
    private readonly socket: WebSocket,
    readonly url: string,
    readonly hello: Record<string, unknown>,
  ) {}

  static async connect(options: { timeoutMs?: number; scopes?: string[] } = {}): Promise<GatewayRpcClient> {
    const running = await requireRunningGateway();
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const ca = readCa(running.tlsCertPath);
    // Loaded here, not at the top: every command module is imported for `--help` too.
    const { default: WebSocketClient } = await import("ws");
    const socket = new WebSocketClient(running.url.replace(/^http/, "ws"), {
      handshakeTimeout: timeoutMs,
      ...(ca ? { ca } : {}),
    });
    const token = localGatewayToken(cliPaths({}).stateDir);
    const client = new GatewayRpcClient(socket, running.url, {});
    socket.on("message", (data) => client.onFrame(JSON.parse(data.toString()) as Record<string, unknown>));
    socket.on("close", (code, reason) =>
      client.fail(
        new OpenClawError(
          "OC_ERR_GATEWAY_NOT_RUNNING",
          `the gateway closed the connection before answering (${code}${reason.length ? ` ${reason}` : ""})`,
          {
            // The gateway may have run what it was asked before it went: rerunning blindly
            // could run a turn twice.
            hint: "check `openclaw gateway status`; a turn it accepted may have run anyway (see `openclaw sessions show <key>`)",
          },
        ),
      ),
    );
    const challenge = new Promise<void>((resolve, reject) => {
      client.onChallenge = resolve;
      socket.once("error", (error) =>
        reject(
          new OpenClawError(
            "OC_ERR_GATEWAY_NOT_RUNNING",
            `cannot reach the gateway at ${running.url}: ${error.message}`,
            {
              hint: "check it with `openclaw gateway status`; restart it with `openclaw gateway stop && openclaw gateway start`",
            },
          ),
        ),
      );
    });
    await challenge;
    const hello = await client.request(
      "connect",
      {
        ...PROTOCOL_RANGE,
        client: { id: "cli", version: VERSION, platform: process.platform, mode: "cli" },
        role: "operator",
        ...(options.scopes ? { scopes: options.scopes } : {}),
        ...(token ? { auth: { token } } : {}),
      },
      { timeoutMs },
    );
    (client as { hello: Record<string, unknown> }).hello = hello;
    return client;
  }

  private onChallenge: (() => void) | undefined;

  private onFrame(frame: Record<string, unknown>): void {
    if (frame.type === "event" && frame.event === "connect.challenge") {
      this.onChallenge?.();
      this.onChallenge = undefined;
      return;
    }
    if (frame.type !== "res" || typeof frame.id !== "string") return;
    const waiter = this.pending.get(frame.id);
    if (!waiter) return;
    const response = frame as unknown as ResponseFrame;
    // A long call (`agent`) is answered twice: "accepted" at once, then its final payload.
    if (waiter.expectFinal && response.ok && response.payload?.status === "accepted") {
      waiter.onAccepted?.(response.payload);
      return;
    }
    this.pending.delete(frame.id);
    waiter.resolve(response);
  }

  private fail(error: Error): void {
    this.closedError = error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }

  /** Sends one request; resolves with its payload, throws its error as an OpenClawError. */
  async request(
    method: string,
    params: unknown,
    options: RequestOptions = {},
  ): Promise<Record<string, unknown>> {
    if (this.closedError) throw this.closedError;
    const id = String(this.nextId++);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const response = await new Promise<ResponseFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(
          new OpenClawError(
            "OC_ERR_INTERNAL",
            `${method}: the gateway did not answer within ${timeoutMs} ms`,
            {
              hint: "pass a longer --timeout, or check the gateway with `openclaw gateway status`",
            },
          ),
        );
      }, timeoutMs);
      this.pending.set(id, {
        expectFinal: options.expectFinal === true,
        onAccepted: options.onAccepted,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.socket.send(JSON.stringify({ type: "req", id, method, params: params ?? {} }));
    });
    if (!response.ok) throw frameError(method, response.error ?? { code: "UNKNOWN", message: "failed" });
    return response.payload ?? {};
  }

  close(): void {
    this.socket.close();
  }
}

/** Connects, makes one call, closes. */
export async function callGatewayMethod(
  method: string,
  params: unknown,
  options: { timeoutMs?: number; expectFinal?: boolean } = {},
): Promise<Record<string, unknown>> {
  const client = await GatewayRpcClient.connect(options);
  try {
    return await client.request(method, params, options);
  } finally {
    client.close();
  }
}
