import { createPublicKey } from "node:crypto";
import { pathToFileURL } from "node:url";
import { generateDeviceIdentity, signDevicePayload } from "../../src/auth/index.js";

/** The parts of `@openclaw/gateway-client`'s GatewayClient the suite uses (it ships its own types). */
export interface EventFrame {
  event: string;
  seq?: number;
  payload?: Record<string, unknown>;
}

interface GatewayClient {
  start(): void;
  stop(): void;
  /** `expectFinal`: wait past an interim `{ status: "accepted" }` answer for the final one. */
  request(
    method: string,
    params?: unknown,
    options?: { expectFinal?: boolean },
  ): Promise<Record<string, unknown>>;
}

type GatewayClientConstructor = new (options: Record<string, unknown>) => GatewayClient;

export interface ReferenceSession {
  client: GatewayClient;
  hello: Record<string, unknown>;
  events: EventFrame[];
  stop(): void;
}

export interface ReferenceConnectOptions {
  url: string;
  token: string;
  scopes?: string[];
  minProtocol?: number;
  maxProtocol?: number;
  /** Sign a device identity, as OpenClaw's own clients do (v3 payload built by the client). */
  withDevice?: boolean;
  timeoutMs?: number;
}

export class ReferenceConnectError extends Error {
  constructor(
    message: string,
    readonly details: Record<string, unknown> | undefined,
    /** The client stopped reconnecting on its own (a terminal refusal, not a hang). */
    readonly reconnectPaused: boolean,
  ) {
    super(message);
  }
}

/** The reference client, loaded from the compat cache (never from this repo's node_modules). */
export async function loadReferenceClient(resolve: (specifier: string) => string) {
  const module = (await import(pathToFileURL(resolve("@openclaw/gateway-client")).href)) as {
    GatewayClient: GatewayClientConstructor;
  };
  const GatewayClient = module.GatewayClient;

  return async function connect(options: ReferenceConnectOptions): Promise<ReferenceSession> {
    const identity = options.withDevice ? generateDeviceIdentity() : undefined;
    const events: EventFrame[] = [];
    let reconnectPaused = false;
    let client: GatewayClient | undefined;
    const hello = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const fail = (error: unknown) => {
        client?.stop();
        const details = (error as { details?: Record<string, unknown> }).details;
        reject(new ReferenceConnectError((error as Error).message, details, reconnectPaused));
      };
      const timer = setTimeout(
        () => fail(new Error(`no hello-ok within ${options.timeoutMs ?? 10_000} ms`)),
        options.timeoutMs ?? 10_000,
      );
      client = new GatewayClient({
        url: options.url,
        token: options.token,
        ...(options.scopes ? { scopes: options.scopes } : {}),
        ...(options.minProtocol !== undefined ? { minProtocol: options.minProtocol } : {}),
        ...(options.maxProtocol !== undefined ? { maxProtocol: options.maxProtocol } : {}),
        ...(identity
          ? {
              deviceIdentity: identity,
              hostDeps: {
                signDevicePayload,
                publicKeyRawBase64UrlFromPem: (pem: string) =>
                  createPublicKey(pem)
                    .export({ type: "spki", format: "der" })
                    .subarray(12)
                    .toString("base64url"),
              },
            }
          : {}),
        onHelloOk: (payload: Record<string, unknown>) => {
          clearTimeout(timer);
          resolve(payload);
        },
        onConnectError: (error: unknown) => {
          // The client reports the pause right after the error: let it, then settle.
          setTimeout(() => {
            clearTimeout(timer);
            fail(error);
          }, 50);
        },
        onReconnectPaused: () => {
          reconnectPaused = true;
        },
        onEvent: (event: EventFrame) => events.push(event),
      });
      client.start();
    });
    const started = client as unknown as GatewayClient;
    return { client: started, hello, events, stop: () => started.stop() };
  };
}
