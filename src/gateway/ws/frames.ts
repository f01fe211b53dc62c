import { OpenClawError, retryAfterMsOf, toOpenClawError } from "../../errors.js";

/**
 * Wire protocol versions, as `@openclaw/gateway-protocol@2026.9.1` (`/version`) defines them:
 * operators must speak the current version; nodes and probes may lag one behind during a
 * rolling upgrade. A unit test keeps these equal to the package's.
 */
export const PROTOCOL_VERSION = 4;
export const MIN_CLIENT_PROTOCOL_VERSION = 4;
export const MIN_NODE_PROTOCOL_VERSION = 3;
export const MIN_PROBE_PROTOCOL_VERSION = 3;
/** Oldest version any client may use (a node or a probe). */
export const MIN_PROTOCOL_VERSION = Math.min(MIN_NODE_PROTOCOL_VERSION, MIN_PROBE_PROTOCOL_VERSION);

export const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;
/** Before `connect` succeeds nobody is known: a stranger gets only this much per frame. */
export const MAX_PREAUTH_PAYLOAD_BYTES = 64 * 1024;
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
export const TICK_INTERVAL_MS = 15_000;
export const HANDSHAKE_TIMEOUT_MS = 10_000;

/** Close codes: 1008 policy (bad handshake), 1002 protocol mismatch, 1009 too big, 1013 slow consumer. */
export const CLOSE_POLICY = 1008;
export const CLOSE_PROTOCOL = 1002;
export const CLOSE_TOO_BIG = 1009;
export const CLOSE_TRY_AGAIN = 1013;

export interface RequestFrame {
  type: "req";
  id: string;
  method: string;
  params?: unknown;
}

export interface ErrorShape {
  code: string;
  message: string;
  details?: unknown;
  retryable?: boolean;
  retryAfterMs?: number;
}

/** Our typed errors in the protocol's error shape; the stable OC code travels in details. */
export function toErrorShape(error: unknown): ErrorShape {
  const failure = toOpenClawError(error);
  const detailCode = failure.details?.detailCode;
  const retryAfterMs = retryAfterMsOf(failure);
  return {
    code: failure.spec.wsCode,
    message: failure.hint ? `${failure.message} (${failure.hint})` : failure.message,
    details: {
      ...(typeof detailCode === "string" ? { code: detailCode } : {}),
      ocCode: failure.code,
      ...Object.fromEntries(Object.entries(failure.details ?? {}).filter(([key]) => key !== "detailCode")),
    },
    ...(retryAfterMs !== undefined ? { retryable: true, retryAfterMs } : {}),
  };
}

export function invalidParams(message: string): OpenClawError {
  return new OpenClawError("OC_ERR_BAD_REQUEST", message);
}

export function requireString(params: Record<string, unknown>, key: string, maxLength = 100_000): string {
  const value = params[key];
  if (typeof value !== "string" || value === "")
    throw invalidParams(`params.${key} must be a non-empty string`);
  if (value.length > maxLength) throw invalidParams(`params.${key} is longer than ${maxLength} characters`);
  return value;
}

export function optionalString(params: Record<string, unknown>, key: string): string | undefined {
  const value = params[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value === "")
    throw invalidParams(`params.${key} must be a non-empty string`);
  return value;
}

export function paramsObject(params: unknown): Record<string, unknown> {
  if (params === undefined || params === null) return {};
  if (typeof params !== "object" || Array.isArray(params)) throw invalidParams("params must be an object");
  return params as Record<string, unknown>;
}
