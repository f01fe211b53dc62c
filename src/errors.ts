/**
 * Every user-facing error is declared here once, with a stable code, so that HTTP status,
 * WebSocket error codes and CLI exit codes are mapped in one place and never drift.
 */

export interface ErrorSpec {
  /** HTTP status when the error crosses the HTTP boundary. */
  readonly status: number;
  /** CLI exit code: 2 for usage or configuration mistakes, 1 for runtime failures. */
  readonly exitCode: 1 | 2;
  /** Code used in WebSocket `res` error frames: the gateway protocol's small vocabulary. */
  readonly wsCode: string;
  /** Whether a client may retry the same request later. */
  readonly retryable: boolean;
}

const spec = (status: number, exitCode: 1 | 2, wsCode: string, retryable = false): ErrorSpec => ({
  status,
  exitCode,
  wsCode,
  retryable,
});

export const ERROR_SPECS = {
  OC_ERR_CONFIG_INVALID: spec(500, 2, "INVALID_REQUEST"),
  OC_ERR_CONFIG_PARSE: spec(500, 2, "INVALID_REQUEST"),
  OC_ERR_CONFIG_READ: spec(500, 2, "INVALID_REQUEST"),
  OC_ERR_CONFIG_PATH: spec(400, 2, "INVALID_REQUEST"),
  /** `onboard` would replace a config file that exists; `--force` keeps a backup and replaces it. */
  OC_ERR_CONFIG_EXISTS: spec(409, 2, "INVALID_REQUEST"),
  /** The config file is no longer the version the operator asked to apply (`baseHash`). */
  OC_ERR_CONFIG_CHANGED: spec(409, 1, "INVALID_REQUEST"),
  /** `config migrate` cannot rewrite this file safely into OpenClaw's form; nothing was written. */
  OC_ERR_CONFIG_MIGRATE: spec(400, 2, "INVALID_REQUEST"),
  OC_ERR_USAGE: spec(400, 2, "INVALID_REQUEST"),
  OC_ERR_BAD_REQUEST: spec(400, 2, "INVALID_REQUEST"),
  OC_ERR_BODY_TOO_LARGE: spec(413, 2, "INVALID_REQUEST"),
  OC_ERR_METHOD_NOT_ALLOWED: spec(405, 2, "INVALID_REQUEST"),
  OC_ERR_NOT_FOUND: spec(404, 2, "INVALID_REQUEST"),
  OC_ERR_UNKNOWN_AGENT: spec(404, 2, "INVALID_REQUEST"),
  OC_ERR_UNKNOWN_METHOD: spec(404, 2, "INVALID_REQUEST"),
  OC_ERR_FORBIDDEN: spec(403, 1, "FORBIDDEN"),
  /** The request's Host names no address or name this gateway answers to (DNS rebinding). */
  OC_ERR_MISDIRECTED: spec(421, 1, "INVALID_REQUEST"),
  OC_ERR_UNAUTHORIZED: spec(401, 1, "UNAUTHORIZED"),
  OC_ERR_RATE_LIMITED: spec(429, 1, "UNAVAILABLE", true),
  OC_ERR_NOT_PAIRED: spec(403, 1, "NOT_PAIRED"),
  OC_ERR_PROTOCOL_VERSION: spec(400, 2, "INVALID_REQUEST"),
  OC_ERR_AGENT_UNAVAILABLE: spec(503, 1, "UNAVAILABLE", true),
  OC_ERR_AGENT_BUSY: spec(503, 1, "UNAVAILABLE", true),
  /** A turn waited longer than limits.queueTimeoutMs for a slot and left the queue without running. */
  OC_ERR_QUEUE_TIMEOUT: spec(503, 1, "UNAVAILABLE", true),
  OC_ERR_AGENT_CRASHED: spec(503, 1, "UNAVAILABLE", true),
  OC_ERR_TURN_TIMEOUT: spec(504, 1, "UNAVAILABLE"),
  OC_ERR_MODEL_PROVIDER: spec(502, 1, "UNAVAILABLE", true),
  /** The provider refused the gateway's key (its 401/403): not the client's credential. */
  OC_ERR_PROVIDER_AUTH: spec(502, 1, "UNAVAILABLE"),
  OC_ERR_MODEL_CONFIG: spec(503, 2, "UNAVAILABLE"),
  OC_ERR_TURN_ABORTED: spec(499, 1, "UNAVAILABLE"),
  OC_ERR_TOOL: spec(500, 1, "UNAVAILABLE"),
  /** The agent has no such tool, or its allow-list (or the HTTP deny list) keeps it from this caller. */
  OC_ERR_TOOL_NOT_FOUND: spec(404, 2, "INVALID_REQUEST"),
  /** A tool invoked directly refused its arguments (a ToolInputError). */
  OC_ERR_TOOL_INPUT: spec(400, 2, "INVALID_REQUEST"),
  /** The model answered without the client tool call `tool_choice` required. */
  OC_ERR_TOOL_CHOICE: spec(502, 1, "UNAVAILABLE", true),
  OC_ERR_PLUGIN: spec(503, 2, "UNAVAILABLE"),
  OC_ERR_SUBAGENT: spec(400, 1, "INVALID_REQUEST"),
  /** A conversation cannot be bound to a helper session (thread bindings off, the channel cannot). */
  OC_ERR_THREAD_BINDING: spec(409, 1, "INVALID_REQUEST"),
  /** A tool asked the gateway for a host service it does not provide, or for a turn that has ended. */
  OC_ERR_HOST_SERVICE: spec(503, 1, "UNAVAILABLE"),
  OC_ERR_GATEWAY_RUNNING: spec(409, 1, "INVALID_REQUEST"),
  OC_ERR_GATEWAY_NOT_RUNNING: spec(503, 1, "UNAVAILABLE"),
  OC_ERR_GATEWAY_START: spec(500, 1, "UNAVAILABLE"),
  /** A file the gateway keeps in its state dir is torn, foreign or unreadable; the hint says how to recover. */
  OC_ERR_STATE_FILE: spec(500, 1, "UNAVAILABLE"),
  OC_ERR_BROWSER: spec(502, 1, "UNAVAILABLE"),
  OC_ERR_BROWSER_BLOCKED: spec(403, 1, "FORBIDDEN"),
  OC_ERR_BROWSER_INPUT: spec(400, 1, "INVALID_REQUEST"),
  OC_ERR_BROWSER_LAUNCH: spec(503, 1, "UNAVAILABLE"),
  OC_ERR_MEMORY: spec(502, 1, "UNAVAILABLE"),
  OC_ERR_MEMORY_INPUT: spec(400, 1, "INVALID_REQUEST"),
  /** An agent's memory file is damaged (SQLite: malformed, not a database): refused until `openclaw memory repair`. */
  OC_ERR_MEMORY_CORRUPT: spec(503, 1, "UNAVAILABLE"),
  OC_ERR_SANDBOX_UNAVAILABLE: spec(503, 1, "UNAVAILABLE"),
  OC_ERR_SANDBOX_CONFIG: spec(400, 2, "INVALID_REQUEST"),
  OC_ERR_SANDBOX_IMAGE: spec(500, 1, "UNAVAILABLE"),
  /** bubblewrap cannot confine host commands here; the hint says how to install it or opt out. */
  OC_ERR_CONFINEMENT_UNAVAILABLE: spec(503, 1, "UNAVAILABLE"),
  OC_ERR_EGRESS_DENIED: spec(502, 1, "UNAVAILABLE"),
  OC_ERR_SECRET_UNAVAILABLE: spec(503, 1, "UNAVAILABLE", true),
  OC_ERR_SECRET_INSECURE: spec(503, 2, "UNAVAILABLE"),
  OC_ERR_SECRET_UNKNOWN: spec(400, 2, "INVALID_REQUEST"),
  /** The state dir's filesystem refused a write (ENOSPC, EDQUOT): nothing was acknowledged. */
  OC_ERR_DISK_FULL: spec(507, 1, "UNAVAILABLE", true),
  /** The state dir's filesystem refused a write for another reason (read-only, I/O error). */
  OC_ERR_STATE_UNWRITABLE: spec(503, 1, "UNAVAILABLE", true),
  /** A messaging platform refused a send (not retryable, or retried until it gave up). */
  OC_ERR_CHANNEL_SEND: spec(502, 1, "UNAVAILABLE", true),
  /** A messaging platform refused the account's token or password. */
  OC_ERR_CHANNEL_AUTH: spec(502, 1, "UNAVAILABLE"),
  /** A messaging platform cannot be reached; the channel reconnects by itself. */
  OC_ERR_CHANNEL_CONNECT: spec(503, 1, "UNAVAILABLE", true),
  /** No such channel, account or pairing request. */
  OC_ERR_CHANNEL_UNKNOWN: spec(404, 2, "INVALID_REQUEST"),
  /** The shared storage (PostgreSQL: storage.url) does not answer or refused the connection. */
  OC_ERR_STORAGE_UNREACHABLE: spec(503, 1, "UNAVAILABLE", true),
  /** The shared storage's schema is newer than this build knows, or a migration failed. */
  OC_ERR_STORAGE_SCHEMA: spec(503, 2, "UNAVAILABLE"),
  OC_ERR_INTERNAL: spec(500, 1, "UNAVAILABLE", true),
  /** Another replica holds the session and could not be reached, nor did its lease lapse in time. */
  OC_ERR_SESSION_ELSEWHERE: spec(503, 1, "UNAVAILABLE", true),
  /** A request on the internal cluster route without a valid, fresh signature of the cluster secret. */
  OC_ERR_CLUSTER_HOP: spec(401, 1, "UNAUTHORIZED"),
  /** An MCP server (mcp.servers) did not start, crashed, refused a call or did not answer in time. */
  OC_ERR_MCP_SERVER: spec(502, 1, "UNAVAILABLE", true),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_SPECS;

export interface OpenClawErrorOptions {
  /** What the user should do about it. Printed after the message. */
  hint?: string;
  /** Machine-readable context (a config path, a line number); never a secret. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class OpenClawError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: OpenClawErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "OpenClawError";
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }

  get spec(): ErrorSpec {
    return ERROR_SPECS[this.code];
  }

  /** One human-readable block: the message and, on its own line, what to do. */
  describe(): string {
    return this.hint ? `${this.message}\n  fix: ${this.hint}` : this.message;
  }
}

export function isOpenClawError(value: unknown): value is OpenClawError {
  return value instanceof OpenClawError;
}

/** How long a client should wait before retrying a retryable error (`details.retryAfterMs`). */
export function retryAfterMsOf(error: OpenClawError): number | undefined {
  if (!error.spec.retryable) return undefined;
  const value = error.details?.retryAfterMs;
  return typeof value === "number" && value > 0 ? value : 1000;
}

/** Wraps anything thrown into an OpenClawError without losing the original as `cause`. */
export function toOpenClawError(value: unknown, fallback: ErrorCode = "OC_ERR_INTERNAL"): OpenClawError {
  if (value instanceof OpenClawError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new OpenClawError(fallback, message, { cause: value });
}
