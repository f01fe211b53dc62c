import { isDeepStrictEqual } from "node:util";
import { agentBoundaryChanges } from "./agent-boundary-changes.js";
import { hookBoundaryChanges } from "./hook-boundary-changes.js";
import { mcpChanges } from "./mcp-boundary-changes.js";
import type { Credential, OpenClawConfig } from "./schema.js";

/**
 * A config change that widens who may reach the gateway, or what an agent's tools may reach.
 * Such a change is not hot-applied from the file: whoever can write `openclaw.json` (an agent
 * with file tools, a compromised account) could otherwise open the gateway silently.
 */
export interface BoundaryChange {
  /** Dotted config path of the setting, e.g. `gateway.auth.mode`. */
  path: string;
  /** One line for an operator: what changed and what it opens. Never a credential value. */
  description: string;
}

/**
 * Every change from `running` to `next` that weakens the security boundary, gateway settings
 * first, then metrics, then agents. Empty when `next` is as strict or stricter. Pure.
 */
export function weakeningChanges(running: OpenClawConfig, next: OpenClawConfig): BoundaryChange[] {
  return [
    ...authChanges(running, next),
    ...networkChanges(running, next),
    ...metricsChanges(running, next),
    ...egressChanges(running, next),
    ...hookBoundaryChanges(running, next),
    ...agentBoundaryChanges(running, next),
    ...mcpChanges(running, next),
  ];
}

/**
 * Where credentials are sent and what runs to fetch them. A provider's key goes to its
 * `baseUrl` (the broker swaps the placeholder for that origin only): pointing it elsewhere sends
 * the key there. An exec source runs its command as the gateway's user, outside any
 * confinement, on every load.
 */
function egressChanges(running: OpenClawConfig, next: OpenClawConfig): BoundaryChange[] {
  const changes: BoundaryChange[] = [];
  for (const [name, after] of Object.entries(next.models.providers)) {
    const before = running.models.providers[name];
    // A new provider is new egress for a key only when it names an existing secret.
    const sendsAKey = before !== undefined || typeof after.apiKey === "object";
    if (sendsAKey && before?.baseUrl !== after.baseUrl) {
      changes.push({
        path: `models.providers.${name}.baseUrl`,
        description: `the provider's key is now sent to ${after.baseUrl ?? "its default address"} (was ${before?.baseUrl ?? (before ? "its default address" : "no such provider")})`,
      });
    }
  }
  const urlChange = (path: string, was: string | undefined, is: string | undefined, what: string) => {
    if (is !== undefined && was !== is) changes.push({ path, description: `${what} now go to ${is}` });
  };
  urlChange(
    "memory.embeddings.baseUrl",
    running.memory.embeddings?.baseUrl,
    next.memory.embeddings?.baseUrl,
    "memory texts and the embeddings key",
  );
  urlChange(
    "memory.qdrant.url",
    running.memory.qdrant?.url,
    next.memory.qdrant?.url,
    "memories and the Qdrant key",
  );
  for (const [name, after] of Object.entries(next.externalSecrets)) {
    const before = running.externalSecrets[name];
    if (after.source === "exec" && !isDeepStrictEqual(before, after)) {
      changes.push({
        path: `externalSecrets.${name}.command`,
        description: `a command the gateway runs as its own user, unconfined: ${after.command.join(" ")}`,
      });
    }
  }
  return changes;
}

/** Entries of `after` that `before` lacks. */
function gainedEntries(before: readonly string[], after: readonly string[]): string[] {
  const known = new Set(before);
  return after.filter((entry) => !known.has(entry));
}

/** A list of strings at `value`, or an empty one: for fields that may not be in the schema yet. */
function stringListOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === "string") : [];
}

/** Mirrors `resolveAuthMode` in src/auth (config may import nothing above it). */
function authModeOf(config: OpenClawConfig): string {
  const { auth } = config.gateway;
  if (auth.mode) return auth.mode;
  return auth.password !== undefined && auth.token === undefined ? "password" : "token";
}

/** Where a credential comes from, never what it is. */
function describeCredential(credential: Credential | undefined, unset: string): string {
  if (credential === undefined) return unset;
  return typeof credential === "string" ? "an inline value" : `secret "${credential.$secret}"`;
}

function describeSecretSource(config: OpenClawConfig, name: string): string {
  const source = config.externalSecrets[name];
  if (!source) return "undeclared";
  if (source.source === "env") return `env ${source.key}`;
  if (source.source === "file") return `file ${source.path}`;
  return `exec ${source.command.join(" ")}`;
}

const CREDENTIAL_UNSET = {
  token: "unset (a token generated into the state dir)",
  password: "unset",
} as const;

function authChanges(running: OpenClawConfig, next: OpenClawConfig): BoundaryChange[] {
  const changes: BoundaryChange[] = [];
  const before = running.gateway.auth;
  const after = next.gateway.auth;
  // Any switch of mode changes who may connect and how: even none → token lets remote token
  // holders in where only loopback clients were served, so no direction counts as safe.
  const modeBefore = authModeOf(running);
  const modeAfter = authModeOf(next);
  if (modeBefore !== modeAfter) {
    changes.push({
      path: "gateway.auth.mode",
      description: `auth mode changed from ${modeBefore} to ${modeAfter}`,
    });
  }
  for (const kind of ["token", "password"] as const) {
    const was = before[kind];
    const is = after[kind];
    if (!isDeepStrictEqual(was, is)) {
      changes.push({
        path: `gateway.auth.${kind}`,
        description: `the gateway ${kind} changed: ${describeCredential(was, CREDENTIAL_UNSET[kind])} → ${describeCredential(is, CREDENTIAL_UNSET[kind])}`,
      });
    } else if (typeof is === "object") {
      // The same reference pointed at another source is another credential, one the writer of
      // the file may control (a file they wrote, a command they chose).
      const name = is.$secret;
      if (!isDeepStrictEqual(running.externalSecrets[name], next.externalSecrets[name])) {
        changes.push({
          path: `externalSecrets.${name}`,
          description: `the source of the gateway ${kind} (secret "${name}") changed: ${describeSecretSource(running, name)} → ${describeSecretSource(next, name)}`,
        });
      }
    }
  }
  changes.push(...trustedProxyChanges(running, next));
  const limitBefore = before.rateLimit;
  const limitAfter = after.rateLimit;
  if (limitAfter.maxAttempts > limitBefore.maxAttempts) {
    changes.push({
      path: "gateway.auth.rateLimit.maxAttempts",
      description: `more failed attempts allowed before a lockout: ${limitBefore.maxAttempts} → ${limitAfter.maxAttempts}`,
    });
  }
  if (limitAfter.windowMs < limitBefore.windowMs) {
    changes.push({
      path: "gateway.auth.rateLimit.windowMs",
      description: `failed attempts are counted over a shorter window: ${limitBefore.windowMs} ms → ${limitAfter.windowMs} ms`,
    });
  }
  if (limitAfter.lockoutMs < limitBefore.lockoutMs) {
    changes.push({
      path: "gateway.auth.rateLimit.lockoutMs",
      description: `a locked-out client is let back sooner: ${limitBefore.lockoutMs} ms → ${limitAfter.lockoutMs} ms`,
    });
  }
  return changes;
}

/** The trusted-proxy settings in force: the authenticator's defaults when the block is absent. */
function trustedProxyOf(config: OpenClawConfig) {
  const block = config.gateway.auth.trustedProxy;
  return {
    userHeader: (block?.userHeader ?? "x-forwarded-user").toLowerCase(),
    requiredHeaders: (block?.requiredHeaders ?? []).map((header) => header.toLowerCase()),
    allowLoopback: block?.allowLoopback ?? false,
    allowUsers: block?.allowUsers,
  };
}

function trustedProxyChanges(running: OpenClawConfig, next: OpenClawConfig): BoundaryChange[] {
  // Judged in every mode: a loosened block is harmless until the mode is switched to it, and that
  // switch would then meet the loosened settings already in force.
  const changes: BoundaryChange[] = [];
  const before = trustedProxyOf(running);
  const after = trustedProxyOf(next);
  const path = "gateway.auth.trustedProxy";
  if (after.allowLoopback && !before.allowLoopback) {
    changes.push({
      path: `${path}.allowLoopback`,
      description:
        "a proxy on this host (127.0.0.1 / ::1) is now believed: any local process can claim a user",
    });
  }
  if (before.allowUsers !== undefined) {
    if (after.allowUsers === undefined) {
      changes.push({
        path: `${path}.allowUsers`,
        description: "the user allow-list is removed: any user the proxy vouches for is let in",
      });
    } else {
      const added = gainedEntries(before.allowUsers, after.allowUsers);
      if (added.length > 0)
        changes.push({ path: `${path}.allowUsers`, description: `users allowed in: ${added.join(", ")}` });
    }
  }
  const dropped = gainedEntries(after.requiredHeaders, before.requiredHeaders);
  if (dropped.length > 0) {
    changes.push({
      path: `${path}.requiredHeaders`,
      description: `headers the proxy no longer has to set: ${dropped.join(", ")}`,
    });
  }
  if (after.userHeader !== before.userHeader) {
    changes.push({
      path: `${path}.userHeader`,
      description: `the user is read from another header: ${before.userHeader} → ${after.userHeader}`,
    });
  }
  return changes;
}

function networkChanges(running: OpenClawConfig, next: OpenClawConfig): BoundaryChange[] {
  const changes: BoundaryChange[] = [];
  const before = running.gateway;
  const after = next.gateway;
  const gainedList = (path: string, was: readonly string[], is: readonly string[], what: string) => {
    const added = gainedEntries(was, is);
    if (added.length > 0) changes.push({ path, description: `${what}: ${added.join(", ")}` });
  };
  gainedList(
    "gateway.trustedProxies",
    before.trustedProxies,
    after.trustedProxies,
    "new proxies whose forwarded headers (client address, user) are believed",
  );
  if (after.host !== before.host) {
    changes.push({
      path: "gateway.host",
      description: `the bind address changed: ${before.host} → ${after.host}`,
    });
  }
  if (before.tls.enabled && !after.tls.enabled) {
    changes.push({
      path: "gateway.tls.enabled",
      description: "TLS is turned off: credentials and answers travel in plaintext",
    });
  }
  gainedList(
    "gateway.controlUi.allowedOrigins",
    before.controlUi.allowedOrigins,
    after.controlUi.allowedOrigins,
    "new browser origins allowed to open the WebSocket",
  );
  // Read defensively: the field is being added to the schema; until then it is absent.
  gainedList(
    "gateway.allowedHosts",
    stringListOf((before as Record<string, unknown>).allowedHosts),
    stringListOf((after as Record<string, unknown>).allowedHosts),
    "new Host header values served",
  );
  return changes;
}

function metricsChanges(running: OpenClawConfig, next: OpenClawConfig): BoundaryChange[] {
  const servedPublicly = (config: OpenClawConfig) => config.metrics.enabled && config.metrics.public;
  if (servedPublicly(running) || !servedPublicly(next)) return [];
  // public was already set while metrics were off: turning them on is what exposes them.
  const path = running.metrics.public ? "metrics.enabled" : "metrics.public";
  return [{ path, description: "GET /metrics is served without auth (it names agents, models and tools)" }];
}
