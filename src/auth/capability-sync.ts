import type { CapabilityRevocation, CapabilityStateStore } from "../storage/capability-state-store.js";
import type { ClusterEvent, ClusterEvents } from "../storage/cluster-events.js";
import {
  type CapabilityGrant,
  CapabilityIssuer,
  type CapabilitySurface,
  type CapabilityVerdict,
} from "./capabilities.js";

/** The cluster event a revocation travels as; its payload is a CapabilityRevocation. */
export const REVOCATION_TOPIC = "revocation";
/** What ClusterEvents publishes when a subscriber missed events: revocations are reloaded. */
const GAP_TOPIC = "gap";

/** The parts of a Storage capabilities need. */
export interface CapabilityStorage {
  readonly shared: boolean;
  readonly capabilityState: CapabilityStateStore;
  readonly events: ClusterEvents;
}

export interface CapabilitySyncOptions {
  storage: CapabilityStorage;
  ttlMs: number;
  now?: () => number;
  /** A revocation that could not be stored or published, or revocations that could not be loaded. */
  onError?: (error: Error, what: "share" | "load") => void;
}

/**
 * The gateway's capabilities, the same on every gateway of a cluster. On a shared storage the
 * issuer signs with the cluster's key, so a capability minted on one gateway opens the canvas on
 * any other; a revocation is applied here at once, stored (a gateway starting later loads it)
 * and published as a `revocation` event (the running ones apply it as it arrives). Alone on its
 * state dir (files), the issuer keeps a random key and its revocations in memory, as before:
 * a restart invalidates every capability anyway.
 *
 * `issue`, `verify`, `revokeNode` and `endSession` stay synchronous: they sit on the canvas
 * request path and in WebSocket handlers; the sharing runs behind them.
 */
export class CapabilitySync {
  private pending: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;

  private constructor(
    private readonly issuer: CapabilityIssuer,
    private readonly options: CapabilitySyncOptions,
  ) {}

  static async open(options: CapabilitySyncOptions): Promise<CapabilitySync> {
    const { storage } = options;
    const now = options.now ? { now: options.now } : {};
    if (!storage.shared)
      return new CapabilitySync(new CapabilityIssuer({ ttlMs: options.ttlMs, ...now }), options);
    const key = await storage.capabilityState.signingKey();
    const sync = new CapabilitySync(new CapabilityIssuer({ ttlMs: options.ttlMs, key, ...now }), options);
    // Subscribed before loading: a revocation stored after the load is published after it too,
    // so it arrives as an event; one stored before is in the load.
    sync.unsubscribe = storage.events.subscribe((event) => sync.receive(event));
    await sync.load();
    return sync;
  }

  issue(grant: CapabilityGrant): { token: string; expiresAt: number } {
    return this.issuer.issue(grant);
  }

  verify(token: string | undefined, surface: CapabilitySurface): CapabilityVerdict {
    return this.issuer.verify(token, surface);
  }

  /** Invalidates every capability of the node, on every gateway of the cluster. */
  revokeNode(nodeId: string): void {
    this.share(this.issuer.revokeNode(nodeId));
  }

  /** Invalidates every capability of one of the node's sessions, on every gateway. */
  endSession(nodeId: string, sessionKey: string): void {
    this.share(this.issuer.endSession(nodeId, sessionKey));
  }

  /** Revocations in force here (for tests and diagnostics). */
  get revocationCount(): number {
    return this.issuer.revocationCount;
  }

  /** Resolves once every revocation made here so far was stored and published (or failed). */
  settled(): Promise<void> {
    return this.pending;
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.pending;
  }

  private share(revocation: CapabilityRevocation): void {
    if (!this.options.storage.shared) return;
    const { capabilityState, events } = this.options.storage;
    // One at a time, in order: stored before published (see `open` for why that order).
    this.pending = this.pending.then(async () => {
      try {
        await capabilityState.revoke(revocation);
        await events.publish(REVOCATION_TOPIC, revocation);
      } catch (error) {
        this.options.onError?.(error as Error, "share");
      }
    });
  }

  private receive(event: ClusterEvent): void {
    if (event.topic === GAP_TOPIC) {
      void this.load();
      return;
    }
    if (event.topic !== REVOCATION_TOPIC) return;
    const revocation = revocationOf(event.payload);
    if (revocation) this.issuer.apply(revocation);
  }

  private async load(): Promise<void> {
    try {
      for (const revocation of await this.options.storage.capabilityState.revocations()) {
        this.issuer.apply(revocation);
      }
    } catch (error) {
      this.options.onError?.(error as Error, "load");
    }
  }
}

/** A revocation from the wire, or undefined for anything else (another version's, torn). */
function revocationOf(payload: unknown): CapabilityRevocation | undefined {
  if (typeof payload !== "object" || payload === null) return undefined;
  const { scope, id, issuedUpTo, keepUntil } = payload as Record<string, unknown>;
  if (scope !== "node" && scope !== "session") return undefined;
  if (typeof id !== "string" || typeof issuedUpTo !== "number" || typeof keepUntil !== "number")
    return undefined;
  return { scope, id, issuedUpTo, keepUntil };
}
