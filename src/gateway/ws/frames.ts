import { OpenClawError, retryAfterMsOf, toOpenClawError } from "../../errors.js";

/** Wire protocol version this gateway speaks (the OpenClaw gateway protocol). */
export const PROTOCOL_VERSION = 4;
/** Oldest version still accepted, for clients mid rolling upgrade. */
export const MIN_PROTOCOL_VERSION = 3;
export const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;
export const MAX_PREAUTH_PAYLOAD_BYTES = 64 * 1024;
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
export const TICK_INTERVAL_MS = 15_000;
export const HANDSHAKE_TIMEOUT_MS = 10_000;

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

export type ParsedFrame =
  | { ok: true; frame: RequestFrame }
  | { ok: false; id: string | undefined; reason: string };

export function parseRequestFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, id: undefined, reason: "frame is not valid JSON" };
  }
  if (typeof value !== "object" || value === null)
    return { ok: false, id: undefined, reason: "frame must be an object" };
  const frame = value as Record<string, unknown>;
  const id = typeof frame.id === "string" && frame.id !== "" ? frame.id : undefined;
  if (frame.type !== "req")
    return { ok: false, id, reason: `unexpected frame type ${JSON.stringify(frame.type)}` };
  if (!id) return { ok: false, id, reason: "request frame needs a non-empty string id" };
  if (typeof frame.method !== "string" || frame.method === "")
    return { ok: false, id, reason: "request needs a method" };
  return { ok: true, frame: { type: "req", id, method: frame.method, params: frame.params } };
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
