import { randomBytes } from "node:crypto";
import {
  Authenticator,
  type AuthMode,
  CapabilitySync,
  ClusterFailureLimiter,
  gatewayTokenFingerprint,
  gatewayTokenPath,
  loadOrCreateGatewayToken,
  localTokenPath,
  NodeRegistry,
  resolveAuthMode,
} from "../auth/index.js";
import { CanvasStore } from "../canvas/index.js";
import { writeFileAtomic } from "../config/atomic-write.js";
import type { OpenClawConfig } from "../config/index.js";
import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import type { Redactor } from "../secrets/index.js";
import { nodeIdOfSessionKey } from "../sessions/index.js";
import type { Storage } from "../storage/index.js";
import { isLoopbackAddress } from "./client-address.js";
import type { GatewayCredentials } from "./gateway-credentials.js";

/** Something a revoked node must lose at once: its open WebSocket connections. */
export interface NodeConnection {
  close(reason: string): void;
}

function isLoopbackHost(host: string): boolean {
  return host === "localhost" || isLoopbackAddress(host);
}

/**
 * The gateway's security state: the authenticator for the configured mode, paired nodes, the
 * capabilities issued to them, and their canvases. Revoking a node ends its connections and its
 * capabilities in the same step.
 */
export class GatewaySecurity {
  readonly canvas = new CanvasStore();
  private authenticator: Authenticator | undefined;
  private generatedToken: string | undefined;
  private readonly connections = new Map<string, Set<NodeConnection>>();
  /** The local CLI's credential for this run (see writeLocalToken). */
  private readonly localToken = randomBytes(32).toString("base64url");
  /** Sessions an operator has put on each node's screen (`canvas.update`): what it may open. */
  private readonly sessionsByNode = new Map<string, Set<string>>();
  /** Refusals by reason since start, across reloads: `doctor` reads them from the status report. */
  private readonly refusals = new Map<string, { count: number; lastAt: number }>();
  /** Auth failures counted for the whole cluster, on a shared storage; kept across reloads. */
  private readonly clusterFailures: ClusterFailureLimiter | undefined;

  private constructor(
    readonly nodes: NodeRegistry,
    /** Canvas and A2UI capabilities, checked alike on every gateway of a cluster. */
    readonly capabilities: CapabilitySync,
    private readonly options: {
      stateDir: string;
      storage: Storage;
      credentials: GatewayCredentials;
      redactor: Redactor;
      logger: Logger;
    },
  ) {
    this.clusterFailures = options.storage.shared
      ? new ClusterFailureLimiter({
          store: options.storage.failureCounters,
          events: options.storage.events,
          scope: "gateway",
        })
      : undefined;
    // On a shared storage every gateway hears of a node's change and revokes its capabilities:
    // the revocation each one publishes is then a repeat, which applying again leaves as it is.
    nodes.onChange((record, change) => {
      // A pending request holds no access to end; an approved node keeps it unless removed.
      if (record.status === "pending") return;
      if (record.status === "approved" && change !== "node-removed") return;
      const ended = change === "node-removed" ? "removed" : record.status;
      this.capabilities.revokeNode(record.id);
      this.canvas.drop(record.id);
      this.sessionsByNode.delete(record.id);
      for (const connection of this.connections.get(record.id) ?? []) connection.close(`node ${ended}`);
      this.connections.delete(record.id);
      options.logger.warn({ node: record.id, status: ended }, "node access ended");
    });
  }

  static async open(options: {
    stateDir: string;
    /** Paired nodes, the capability key and revocations, failure counters (shared in a cluster). */
    storage: Storage;
    credentials: GatewayCredentials;
    redactor: Redactor;
    logger: Logger;
    config: OpenClawConfig;
  }): Promise<GatewaySecurity> {
    const nodes = await NodeRegistry.over(options.storage.nodes);
    const capabilities = await CapabilitySync.open({
      storage: options.storage,
      ttlMs: options.config.gateway.auth.capabilityTtlMs,
      onError: (error, what) =>
        options.logger.error(
          { error: error.message },
          what === "share"
            ? "a capability revocation could not be shared with the cluster: other gateways accept the revoked capabilities until they expire"
            : "capability revocations could not be loaded from the storage",
        ),
    });
    return new GatewaySecurity(nodes, capabilities, options);
  }

  /** Stops following the cluster's revocations, once the ones made here are shared. */
  async close(): Promise<void> {
    this.clusterFailures?.close();
    await this.capabilities.close();
  }

  /** The authenticator for the current config; set by `apply`. */
  get auth(): Authenticator {
    if (!this.authenticator) throw new Error("gateway security is not configured yet");
    return this.authenticator;
  }

  /**
   * Builds the authenticator for a (new) config. Throws for a config that would leave the
   * gateway open or unusable: no auth on a non-loopback address, a password mode without a
   * password, a trusted-proxy mode without trusted proxies.
   */
  async apply(config: OpenClawConfig, host: string): Promise<void> {
    const mode = resolveAuthMode(config);
    const { auth } = config.gateway;
    if (mode === "none" && !isLoopbackHost(host)) {
      throw new OpenClawError(
        "OC_ERR_CONFIG_INVALID",
        `gateway.auth.mode "none" is refused: the gateway listens on ${host}, not only on loopback`,
        { hint: 'set gateway.host to "127.0.0.1", or use auth mode "token" (the default)' },
      );
    }
    if (mode === "password" && auth.password === undefined) {
      throw new OpenClawError(
        "OC_ERR_CONFIG_INVALID",
        'gateway.auth.mode is "password" but no password is set',
        {
          hint: 'set gateway.auth.password to { "$secret": "<name>" } declared in externalSecrets',
        },
      );
    }
    if (mode === "trusted-proxy" && config.gateway.trustedProxies.length === 0) {
      throw new OpenClawError(
        "OC_ERR_CONFIG_INVALID",
        'gateway.auth.mode is "trusted-proxy" but gateway.trustedProxies is empty',
        { hint: 'list your reverse proxy\'s addresses, e.g. "gateway.trustedProxies": ["10.0.0.5"]' },
      );
    }
    if (mode === "token" && auth.token === undefined && !this.generatedToken) {
      const generated = await loadOrCreateGatewayToken(this.options.stateDir);
      this.options.redactor.add(generated.token);
      this.generatedToken = generated.token;
      if (generated.origin === "replaced-empty") {
        // An empty file held no token anyone could know; say so, as clients need the new one.
        this.options.logger.warn(
          { path: gatewayTokenPath(this.options.stateDir) },
          "the gateway token file was empty (a write cut short?): a new token was generated and saved; `openclaw gateway token` prints it",
        );
      }
    }
    const trustedProxy = auth.trustedProxy ?? {
      userHeader: "x-forwarded-user",
      requiredHeaders: [],
      allowLoopback: false,
    };
    this.authenticator = new Authenticator({
      mode,
      localToken: this.localToken,
      token: () =>
        auth.token === undefined ? this.generatedToken : this.options.credentials.authCredential("token"),
      password: () => this.options.credentials.authCredential("password"),
      trustedProxies: config.gateway.trustedProxies,
      trustedProxy: {
        userHeader: trustedProxy.userHeader,
        requiredHeaders: trustedProxy.requiredHeaders,
        allowLoopback: trustedProxy.allowLoopback,
        ...(trustedProxy.allowUsers ? { allowUsers: trustedProxy.allowUsers } : {}),
      },
      rateLimit: auth.rateLimit,
      ...(this.clusterFailures ? { clusterFailures: this.clusterFailures } : {}),
      onRefusal: (reason) => {
        const entry = this.refusals.get(reason) ?? { count: 0, lastAt: 0 };
        this.refusals.set(reason, { count: entry.count + 1, lastAt: Date.now() });
      },
    });
  }

  /** The auth mode and why requests were refused, for the status report; never who or what was sent. */
  authReport(): { mode: AuthMode | undefined; refusals: Record<string, { count: number; lastAt: string }> } {
    const refusals: Record<string, { count: number; lastAt: string }> = {};
    for (const [reason, entry] of this.refusals) {
      refusals[reason] = { count: entry.count, lastAt: new Date(entry.lastAt).toISOString() };
    }
    return { mode: this.authenticator?.mode, refusals };
  }

  /**
   * The credential of `openclaw` commands run on this host: a per-run token in the state dir
   * (owner-only), accepted from loopback clients in every auth mode. Whoever can read the state
   * dir can read the config and the secrets already; nobody else can use it.
   */
  async writeLocalToken(): Promise<void> {
    this.options.redactor.add(this.localToken);
    // Atomic: a CLI reading it while it is written (or after a kill) sees a whole token or the
    // previous run's, never half of one.
    await writeFileAtomic(localTokenPath(this.options.stateDir), `${this.localToken}\n`, 0o600);
  }

  /** The generated token, when it is the one in use: for the CLI to show its owner once. */
  generatedTokenForDisplay(): string | undefined {
    return this.usesGeneratedToken ? this.generatedToken : undefined;
  }

  /** A digest of the generated token in use, for gateway.json (see gatewayTokenFingerprint). */
  generatedTokenFingerprint(): string | undefined {
    return this.usesGeneratedToken && this.generatedToken
      ? gatewayTokenFingerprint(this.generatedToken)
      : undefined;
  }

  /** Whether the token in use was generated (and where `openclaw gateway token` finds it). */
  get usesGeneratedToken(): boolean {
    return this.generatedToken !== undefined && this.authenticator?.mode === "token";
  }

  /** An operator showed this session on this node: the node may now ask for its capability. */
  bindSession(nodeId: string, sessionKey: string): void {
    const sessions = this.sessionsByNode.get(nodeId) ?? new Set<string>();
    sessions.add(sessionKey);
    this.sessionsByNode.set(nodeId, sessions);
  }

  unbindSession(nodeId: string, sessionKey: string): void {
    this.sessionsByNode.get(nodeId)?.delete(sessionKey);
  }

  /**
   * Whether a node may hold a capability for a session: one an operator bound to it, or one of
   * its own (`agent:<agent>:node:<nodeId>…`). Anything else would let any paired device read any
   * session's canvas by naming its key.
   */
  maySeeSession(nodeId: string, sessionKey: string): boolean {
    if (this.sessionsByNode.get(nodeId)?.has(sessionKey)) return true;
    return nodeIdOfSessionKey(sessionKey) === nodeId;
  }

  /** Whether the node has an open WebSocket connection now (`node.list`'s `connected`). */
  isNodeConnected(nodeId: string): boolean {
    return (this.connections.get(nodeId)?.size ?? 0) > 0;
  }

  attachNode(nodeId: string, connection: NodeConnection): () => void {
    const set = this.connections.get(nodeId) ?? new Set<NodeConnection>();
    set.add(connection);
    this.connections.set(nodeId, set);
    return () => {
      set.delete(connection);
      if (set.size === 0) this.connections.delete(nodeId);
    };
  }
}
