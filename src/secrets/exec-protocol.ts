import { secretUnavailable } from "./secret-errors.js";

/** OpenClaw's exec secret provider protocol, version 1: one JSON request on stdin, one JSON reply on stdout. */
export interface ExecProtocolRequest {
  /** The provider alias the request names (`secrets.providers.<alias>`). */
  provider: string;
  id: string;
  /** false: a reply that is not JSON is the value itself (OpenClaw's `jsonOnly: false`). Default true. */
  jsonOnly?: boolean | undefined;
}

export function execProtocolRequest(request: ExecProtocolRequest): string {
  return `${JSON.stringify({ protocolVersion: 1, provider: request.provider, ids: [request.id] })}\n`;
}

/** Error codes a resolver may report that OpenClaw shows; others may carry secret material and are not. */
const SHOWN_CODES = new Set(["NOT_FOUND", "AMBIGUOUS_DUPLICATE_KEY"]);

/**
 * The value for the request's id in a resolver's reply. Nothing of the reply is quoted in an
 * error: it may hold other secrets than the one asked for.
 */
export function selectExecReply(
  name: string,
  command: string,
  stdout: string,
  request: ExecProtocolRequest,
): string {
  const details = { source: "exec", command, id: request.id };
  let reply: unknown;
  try {
    reply = JSON.parse(stdout);
  } catch {
    if (request.jsonOnly === false && stdout.trim() !== "") return stdout.replace(/\r?\n$/, "");
    throw secretUnavailable(
      name,
      `command ${command} did not reply with JSON (protocol v1)`,
      `make it print { "protocolVersion": 1, "values": { "${request.id}": "..." } }, or set jsonOnly: false on the provider to take plain output`,
      details,
    );
  }
  const { protocolVersion, values, errors } = (typeof reply === "object" && reply !== null ? reply : {}) as {
    protocolVersion?: unknown;
    values?: Record<string, unknown>;
    errors?: Record<string, { code?: unknown }>;
  };
  if (protocolVersion !== 1) {
    throw secretUnavailable(
      name,
      `command ${command} replied with protocolVersion ${JSON.stringify(protocolVersion) ?? "missing"}, not 1`,
      "use a resolver that speaks OpenClaw's exec protocol v1",
      details,
    );
  }
  const value = values?.[request.id];
  if (typeof value === "string" && value !== "") return value;
  const code = errors?.[request.id]?.code;
  const shown = typeof code === "string" && SHOWN_CODES.has(code) ? ` (${code})` : "";
  throw secretUnavailable(
    name,
    `command ${command} returned no value for id "${request.id}"${shown}`,
    `check that the resolver knows "${request.id}" (provider "${request.provider}")`,
    details,
  );
}
