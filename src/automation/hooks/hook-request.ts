import type { IncomingHttpHeaders } from "node:http";
import { OpenClawError } from "../../errors.js";

/** Where an agent run's answer is sent: a channel's recipient, as `openclaw message send` takes it. */
export interface HookDelivery {
  channel: string;
  to: string;
  accountId?: string;
}

/** `POST <path>/agent`, checked (docs/gateway/config-hooks.md, "Hook agent payload"). */
export interface HookAgentRequest {
  message: string;
  name: string;
  agentId?: string;
  sessionKey?: string;
  sessionMode: "isolated" | "persistent";
  waitForCompletion: boolean;
  delivery?: HookDelivery;
  /** OpenClaw fields this gateway accepts and does not act on (logged). */
  ignored: string[];
}

/** `POST <path>/wake`, checked. */
export interface HookWakeRequest {
  text: string;
  mode: "now" | "next-heartbeat";
  agentId?: string;
  sessionKey?: string;
}

/** OpenClaw's agent payload fields that have no effect here. */
const IGNORED_AGENT_FIELDS = new Set(["wakeMode", "model", "thinking", "timeoutSeconds"]);

export const MAX_IDEMPOTENCY_KEY_LENGTH = 256;

function bad(message: string, hint?: string): OpenClawError {
  return new OpenClawError("OC_ERR_BAD_REQUEST", message, hint ? { hint } : {});
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw bad("the hook body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.trim() === "") throw bad(`${field} must be a non-empty string`);
  return value;
}

function requiredString(body: Record<string, unknown>, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined) throw bad(`${field} is required (a non-empty string)`);
  return value;
}

function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw bad(`${field} must be true or false`);
  return value;
}

function oneOf<T extends string>(
  body: Record<string, unknown>,
  field: string,
  values: readonly T[],
): T | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !values.includes(value as T)) {
    throw bad(`${field} must be one of ${values.map((entry) => JSON.stringify(entry)).join(", ")}`);
  }
  return value as T;
}

/**
 * Direct delivery needs a concrete channel and a recipient together; `deliver: false` turns it
 * off and ignores them (OpenClaw's rules, refused before anything runs).
 */
function deliveryOf(body: Record<string, unknown>): HookDelivery | undefined {
  const deliver = optionalBoolean(body, "deliver") ?? true;
  const channel = optionalString(body, "channel");
  const to = optionalString(body, "to");
  const accountId = optionalString(body, "accountId");
  if (!deliver) return undefined;
  if (channel === undefined && to === undefined && accountId === undefined) return undefined;
  if (channel === "last") {
    throw bad('channel "last" is refused on a direct hook', "name the channel (e.g. telegram) and `to`");
  }
  if (channel === undefined || to === undefined) {
    throw bad("delivery needs both channel and to", 'send both, or "deliver": false');
  }
  return { channel, to, ...(accountId !== undefined ? { accountId } : {}) };
}

export function parseHookAgentRequest(input: unknown): HookAgentRequest {
  const body = objectBody(input);
  const agentId = optionalString(body, "agentId");
  const sessionKey = optionalString(body, "sessionKey");
  const delivery = deliveryOf(body);
  return {
    message: requiredString(body, "message"),
    name: optionalString(body, "name") ?? "Hook",
    ...(agentId !== undefined ? { agentId } : {}),
    ...(sessionKey !== undefined ? { sessionKey } : {}),
    sessionMode: oneOf(body, "sessionMode", ["isolated", "persistent"] as const) ?? "isolated",
    waitForCompletion: optionalBoolean(body, "waitForCompletion") ?? false,
    ...(delivery ? { delivery } : {}),
    ignored: Object.keys(body).filter((key) => IGNORED_AGENT_FIELDS.has(key)),
  };
}

export function parseHookWakeRequest(input: unknown): HookWakeRequest {
  const body = objectBody(input);
  const agentId = optionalString(body, "agentId");
  const sessionKey = optionalString(body, "sessionKey");
  const mode = oneOf(body, "mode", ["now", "next-heartbeat"] as const) ?? "now";
  if (sessionKey !== undefined && mode !== "now") {
    throw bad(
      'a wake names a sessionKey only with mode "now"',
      "deferred wakes go to the agent's main session",
    );
  }
  return {
    text: requiredString(body, "text"),
    mode,
    ...(agentId !== undefined ? { agentId } : {}),
    ...(sessionKey !== undefined ? { sessionKey } : {}),
  };
}

/**
 * The sender's replay key: `Idempotency-Key`, then `X-OpenClaw-Idempotency-Key`, then the
 * payload's `idempotencyKey`; only a trimmed nonempty string of at most 256 characters counts.
 */
export function hookIdempotencyKey(headers: IncomingHttpHeaders, body: unknown): string | undefined {
  const candidates = [
    headers["idempotency-key"],
    headers["x-openclaw-idempotency-key"],
    typeof body === "object" && body !== null ? (body as Record<string, unknown>).idempotencyKey : undefined,
  ];
  for (const candidate of candidates) {
    if (typeof candidate !== "string") continue;
    const key = candidate.trim();
    if (key !== "" && key.length <= MAX_IDEMPOTENCY_KEY_LENGTH) return key;
  }
  return undefined;
}
