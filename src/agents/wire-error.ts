import { ERROR_SPECS, type ErrorCode, OpenClawError, toOpenClawError } from "../errors.js";
import type { WireError } from "./worker/worker-protocol.js";

export function toWireError(error: unknown): WireError {
  const failure = toOpenClawError(error);
  return { code: failure.code, message: failure.message, ...(failure.hint ? { hint: failure.hint } : {}) };
}

export function fromWireError(wire: WireError): OpenClawError {
  const code: ErrorCode = wire.code in ERROR_SPECS ? (wire.code as ErrorCode) : "OC_ERR_INTERNAL";
  return new OpenClawError(code, wire.message, wire.hint ? { hint: wire.hint } : {});
}
