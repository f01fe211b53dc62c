import type { ChatTurnOptions, ChatTurnResult } from "../agents/index.js";
import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import { isEphemeralSessionKey } from "../sessions/index.js";
import type { IdempotencyStore } from "../storage/idempotency-store.js";
import type { ReplicaInfo, ReplicaRegistry } from "../storage/replica-registry.js";
import type { RunLease, RunLock } from "../storage/run-lock.js";

/** A replica that could not be reached at all (refused, reset before an answer): it may be gone. */
export class OwnerUnreachable extends Error {
  constructor(
    readonly replica: string,
    cause: unknown,
  ) {
    super(`replica ${replica} could not be reached`, { cause });
  }
}

export interface SessionOwnershipOptions {
  runLock: RunLock;
  replicas: ReplicaRegistry;
  /** Which replica holds each session's lease (the lease itself says only "held"). */
  owners: IdempotencyStore<{ replica: string }>;
  replicaId: string;
  leaseTtlMs: number;
  idleReleaseMs: number;
  /** Runs the turn on the owner over the internal hop; throws OwnerUnreachable when it cannot. */
  forward(owner: ReplicaInfo, options: ChatTurnOptions): Promise<ChatTurnResult>;
  logger: Logger;
  now?: () => number;
  /** How often a lapsed lease is tried while its owner is gone. */
  pollMs?: number;
}

interface HeldSession {
  lease: RunLease;
  active: number;
  idleSince: number;
}

/** How long an owner record is kept: well beyond any lease, it is only a pointer. */
const OWNER_RECORD_TTL_MS = 24 * 60 * 60_000;

/**
 * Where a session's turns run in a cluster: on the replica holding its lease. Every front door
 * (HTTP, WebSocket, channels, hooks, cron) reaches turns through ChatService.runTurn, which asks
 * this first: a session held here runs here, one held by a live peer is forwarded there, and one
 * whose holder died is taken once its lease lapses (≤ the lease TTL). Leases are renewed while
 * held and given back after `idleReleaseMs` without a turn. Ephemeral sessions (stateless
 * OpenAI requests) have no history to keep in order and run wherever they arrive.
 */
export class SessionOwnership {
  private readonly held = new Map<string, HeldSession>();
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly options: SessionOwnershipOptions) {
    this.now = options.now ?? Date.now;
    // A third of the TTL: two renewals may fail (a slow database) before the lease is lost.
    this.timer = setInterval(() => void this.renew(), Math.max(250, Math.floor(options.leaseTtlMs / 3)));
    this.timer.unref();
  }

  static leaseKey(agentId: string, sessionKey: string): string {
    return `session:${agentId}:${sessionKey}`;
  }

  /** The sessions leased here now. */
  heldCount(): number {
    return this.held.size;
  }

  async route(options: ChatTurnOptions & { forwarded?: boolean }, runLocal: () => Promise<ChatTurnResult>) {
    if (this.stopped || isEphemeralSessionKey(options.sessionKey)) return runLocal();
    const key = SessionOwnership.leaseKey(options.agentId, options.sessionKey);
    // An owner that refused a connection once in this call counts as gone, even while its
    // registry entry has not expired yet (killed a moment ago).
    const unreachable = new Set<string>();
    // Bounded: a lease that moves between two peers while we look is tried again, not chased.
    for (let attempt = 0; attempt < 3; attempt++) {
      const held = await this.hold(key);
      if (held) return this.runHeld(key, held, runLocal);
      // A forwarded turn runs here or nowhere: forwarding it on could loop between replicas.
      if (options.forwarded) break;
      const owner = await this.ownerOf(key, unreachable);
      if (owner) {
        try {
          return await this.options.forward(owner, options);
        } catch (error) {
          if (!(error instanceof OwnerUnreachable)) {
            if (error instanceof OpenClawError && error.code === "OC_ERR_SESSION_ELSEWHERE") continue;
            throw error;
          }
          unreachable.add(owner.id);
          this.options.logger.warn(
            { replica: owner.id, sessionKey: options.sessionKey },
            "session owner unreachable",
          );
        }
      }
      const taken = await this.waitForLapse(key, unreachable);
      if (taken) return this.runHeld(key, taken, runLocal);
    }
    throw new OpenClawError(
      "OC_ERR_SESSION_ELSEWHERE",
      `session ${options.sessionKey} is held by another replica that could not take this turn`,
      {
        hint: "retry in a few seconds: a replica that died gives its sessions up within cluster.sessionLeaseTtlMs",
      },
    );
  }

  /** Gives every lease back (a clean stop): peers take the sessions at once, not after a TTL. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    const leases = [...this.held.values()].map((held) => held.lease);
    this.held.clear();
    await Promise.all(leases.map((lease) => this.options.runLock.release(lease).catch(() => undefined)));
  }

  private async runHeld(key: string, held: HeldSession, runLocal: () => Promise<ChatTurnResult>) {
    held.active++;
    try {
      return await runLocal();
    } finally {
      held.active--;
      held.idleSince = this.now();
      if (held.active === 0 && this.options.idleReleaseMs === 0) await this.release(key, held);
    }
  }

  private async hold(key: string): Promise<HeldSession | undefined> {
    const existing = this.held.get(key);
    if (existing) return existing;
    const lease = await this.options.runLock.acquire(key, this.options.leaseTtlMs);
    if (!lease) return undefined;
    return this.adopt(key, lease);
  }

  private async adopt(key: string, lease: RunLease): Promise<HeldSession> {
    // Two turns of one session may arrive together: the second finds the first's lease.
    const raced = this.held.get(key);
    if (raced) {
      if (raced.lease.token !== lease.token) await this.options.runLock.release(lease);
      return raced;
    }
    const held: HeldSession = { lease, active: 0, idleSince: this.now() };
    this.held.set(key, held);
    // Only the lease holder writes the pointer, so forget-then-claim cannot race another writer.
    await this.options.owners.forget(key);
    await this.options.owners.claim(key, { replica: this.options.replicaId }, OWNER_RECORD_TTL_MS);
    return held;
  }

  private async ownerOf(key: string, unreachable: ReadonlySet<string>): Promise<ReplicaInfo | undefined> {
    const record = await this.options.owners.get(key);
    if (!record || record.replica === this.options.replicaId || unreachable.has(record.replica))
      return undefined;
    const replicas = await this.options.replicas.list();
    return replicas.find((replica) => replica.id === record.replica);
  }

  private async waitForLapse(
    key: string,
    unreachable: ReadonlySet<string>,
  ): Promise<HeldSession | undefined> {
    const deadline = this.now() + this.options.leaseTtlMs + 1000;
    const pollMs = this.options.pollMs ?? 200;
    while (!this.stopped) {
      const lease = await this.options.runLock.acquire(key, this.options.leaseTtlMs);
      if (lease) return this.adopt(key, lease);
      // A live owner appeared (or announced again): the caller forwards to it instead.
      if (await this.ownerOf(key, unreachable)) return undefined;
      if (this.now() >= deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    return undefined;
  }

  private async release(key: string, held: HeldSession): Promise<void> {
    if (this.held.get(key) !== held) return;
    this.held.delete(key);
    await this.options.runLock.release(held.lease).catch(() => undefined);
  }

  private async renew(): Promise<void> {
    for (const [key, held] of [...this.held]) {
      if (held.active === 0 && this.now() - held.idleSince >= this.options.idleReleaseMs) {
        await this.release(key, held);
        continue;
      }
      const kept = await this.options.runLock.extend(held.lease, this.options.leaseTtlMs).catch(() => false);
      if (!kept && this.held.get(key) === held) {
        this.held.delete(key);
        this.options.logger.warn({ lease: key }, "session lease lost");
      }
    }
  }
}
