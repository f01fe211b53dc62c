import { randomUUID } from "node:crypto";
import type { ChatService, ChatTurnOptions, ChatTurnResult, RunService } from "../agents/index.js";
import {
  ClusterEventBridge,
  ClusterHopAuth,
  forwardTurn,
  internalUrlOf,
  ReplicaAnnouncer,
  type ReplicaIdentity,
  SessionOwnership,
} from "../cluster/index.js";
import type { OpenClawConfig } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import type { Storage } from "../storage/index.js";
import type { GatewayPart } from "./lifecycle/part-group.js";
import type { BroadcastBus } from "./ws/broadcast-bus.js";

/** What the cluster part uses of the gateway. */
export interface GatewayClusterHost {
  readonly version: string;
  readonly storage: Storage;
  readonly chat: ChatService;
  readonly runs: RunService;
  readonly broadcast: BroadcastBus;
  readonly logger: Logger;
  config(): OpenClawConfig;
  listening(): { host: string; port: number } | undefined;
  reload(): Promise<void>;
}

/** One replica as `openclaw cluster status` shows it. */
export interface ClusterReplicaStatus {
  id: string;
  internalUrl: string;
  version: string;
  self: boolean;
  ageMs: number;
  lastSeenMsAgo: number;
  sessionLeases: number | null;
}

export interface ClusterStatus {
  storage: Storage["kind"];
  /** Whether the storage answered just now (`/readyz` is 503 while it does not). */
  reachable: boolean;
  clustered: boolean;
  replica?: string;
  replicas: ClusterReplicaStatus[];
  /** Milliseconds since this replica last received a cluster event; null before the first. */
  eventLagMs: number | null;
}

/**
 * The gateway's place in a cluster, when its storage is shared: its identity and announcements,
 * the session ownership every turn asks (ChatService.routeTurnsThrough), the internal hop's
 * signature, and the bridge of broadcasts and config reloads. Started after the listener (its
 * address is the default internal URL); on a storage of one gateway it does nothing.
 */
export class GatewayCluster implements GatewayPart {
  readonly name = "cluster";
  private identity: ReplicaIdentity | undefined;
  private hopAuth: ClusterHopAuth | undefined;
  private ownership: SessionOwnership | undefined;
  private announcer: ReplicaAnnouncer | undefined;
  private bridge: ClusterEventBridge | undefined;
  private reloadingForPeer = false;

  constructor(private readonly host: GatewayClusterHost) {}

  /** The hop signature the HTTP boundary judges `cluster` routes by; undefined when not clustered. */
  readonly auth = (): ClusterHopAuth | undefined => this.hopAuth;

  async start(): Promise<void> {
    const { storage, logger } = this.host;
    if (!storage.shared) return;
    const settings = this.host.config().cluster;
    const address = this.host.listening();
    if (!address) throw new Error("the cluster part starts after the listener");
    const identity: ReplicaIdentity = {
      id: randomUUID(),
      internalUrl: internalUrlOf(settings.advertiseUrl, { ...address, tls: false }),
      version: this.host.version,
      startedAt: Date.now(),
    };
    this.identity = identity;
    this.hopAuth = new ClusterHopAuth(await storage.capabilityState.signingKey());
    const hopAuth = this.hopAuth;
    this.ownership = new SessionOwnership({
      runLock: storage.runLock,
      replicas: storage.replicas,
      owners: storage.idempotency<{ replica: string }>("cluster-session-owners"),
      replicaId: identity.id,
      leaseTtlMs: settings.sessionLeaseTtlMs,
      idleReleaseMs: settings.sessionIdleReleaseMs,
      forward: (owner, options) => forwardTurn(hopAuth, identity.id, owner, options),
      logger,
    });
    const ownership = this.ownership;
    this.announcer = new ReplicaAnnouncer({
      identity,
      registry: storage.replicas,
      events: storage.events,
      intervalMs: settings.announceIntervalMs,
      sessionLeases: () => ownership.heldCount(),
      logger,
    });
    const announcer = this.announcer;
    this.bridge = new ClusterEventBridge({
      bus: this.host.broadcast,
      events: storage.events,
      replicaId: identity.id,
      logger,
      reloadConfig: () => this.reloadForPeer(),
      onEvent: (event) => announcer.received(event),
    });
    this.host.chat.routeTurnsThrough(ownership);
    this.host.runs.trackRunners({ self: () => identity.id, isGone: (runner) => this.replicaGone(runner) });
    await announcer.start();
    logger.info({ replica: identity.id, internalUrl: identity.internalUrl }, "cluster replica announced");
  }

  /** A config in force here: the peers re-read theirs (unless a peer's reload caused this one). */
  async apply(): Promise<void> {
    if (this.reloadingForPeer || !this.bridge) return;
    await this.bridge.configReloaded().catch((error: unknown) => {
      this.host.logger.warn({ error: (error as Error).message }, "config reload not told to the cluster");
    });
  }

  async stop(): Promise<void> {
    this.host.chat.routeTurnsThrough(undefined);
    this.host.runs.trackRunners(undefined);
    this.bridge?.close();
    await this.ownership?.stop();
    await this.announcer?.stop();
    this.bridge = undefined;
    this.ownership = undefined;
    this.announcer = undefined;
  }

  /** A peer's forwarded turn: the ownership check runs again here and never forwards it on. */
  readonly runForwardedTurn = (options: ChatTurnOptions & { forwarded: true }): Promise<ChatTurnResult> =>
    this.host.chat.runTurn(options);

  async status(): Promise<ClusterStatus> {
    const { storage } = this.host;
    const identity = this.identity;
    const reachable = await storage.reachable().catch(() => false);
    if (!storage.shared || !identity || !this.announcer) {
      return { storage: storage.kind, reachable, clustered: false, replicas: [], eventLagMs: null };
    }
    const now = Date.now();
    const leases = this.announcer.sessionLeases();
    const replicas = (await storage.replicas.list()).map((replica) => ({
      id: replica.id,
      internalUrl: replica.internalUrl,
      version: replica.version,
      self: replica.id === identity.id,
      ageMs: now - replica.startedAt,
      lastSeenMsAgo: Math.max(0, now - replica.lastSeenAt),
      sessionLeases: leases[replica.id] ?? null,
    }));
    return {
      storage: storage.kind,
      reachable,
      clustered: true,
      replica: identity.id,
      replicas,
      eventLagMs: this.announcer.eventLagMs() ?? null,
    };
  }

  /**
   * Gone: not announced any more, or announced but refusing connections (killed a moment ago,
   * before its registry entry expired).
   */
  private async replicaGone(id: string): Promise<boolean> {
    const replica = (await this.host.storage.replicas.list()).find((candidate) => candidate.id === id);
    if (!replica) return true;
    try {
      await fetch(`${replica.internalUrl}/health`, { signal: AbortSignal.timeout(2000) });
      return false;
    } catch (error) {
      // Only a refused or reset connection: a slow replica (a timeout) may still answer its run.
      const code = ((error as Error).cause as { code?: unknown } | undefined)?.code;
      return code === "ECONNREFUSED" || code === "ECONNRESET" || code === "EHOSTUNREACH";
    }
  }

  private async reloadForPeer(): Promise<void> {
    this.reloadingForPeer = true;
    try {
      await this.host.reload();
    } finally {
      this.reloadingForPeer = false;
    }
  }
}
