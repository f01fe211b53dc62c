import type { Logger } from "../logging/index.js";
import type { ClusterEvent, ClusterEvents } from "../storage/cluster-events.js";
import type { ReplicaRegistry } from "../storage/replica-registry.js";

export const REPLICA_TOPIC = "replica";

export interface ReplicaIdentity {
  readonly id: string;
  readonly internalUrl: string;
  readonly version: string;
  readonly startedAt: number;
}

/** What a replica says of itself each interval, besides its registry entry. */
export interface ReplicaBeat {
  replica: string;
  sessionLeases: number;
}

export interface ReplicaAnnouncerOptions {
  identity: ReplicaIdentity;
  registry: ReplicaRegistry;
  events: ClusterEvents;
  intervalMs: number;
  /** The session leases held here now. */
  sessionLeases(): number;
  logger: Logger;
  now?: () => number;
}

/**
 * Keeps this replica in the registry (a TTL of three intervals: one missed announcement is not
 * death) and beats on the event stream, so that every replica knows the others' lease counts and
 * how fresh its own event feed is (`openclaw cluster status`). Leaves the registry on a clean stop.
 */
export class ReplicaAnnouncer {
  private timer: NodeJS.Timeout | undefined;
  private readonly beats = new Map<string, ReplicaBeat & { at: number }>();
  private lastEventAt: number | undefined;
  private readonly now: () => number;

  constructor(private readonly options: ReplicaAnnouncerOptions) {
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<void> {
    await this.announce();
    this.timer = setInterval(() => void this.announce(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.options.registry.leave(this.options.identity.id).catch(() => undefined);
  }

  /** Called for every cluster event this replica receives. */
  received(event: ClusterEvent): void {
    this.lastEventAt = this.now();
    if (event.topic !== REPLICA_TOPIC) return;
    const beat = event.payload as Partial<ReplicaBeat> | undefined;
    if (typeof beat?.replica === "string" && typeof beat.sessionLeases === "number") {
      this.beats.set(beat.replica, {
        replica: beat.replica,
        sessionLeases: beat.sessionLeases,
        at: this.now(),
      });
    }
  }

  /** Session leases per replica, as each last said (this one's as of now). */
  sessionLeases(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const beat of this.beats.values()) counts[beat.replica] = beat.sessionLeases;
    counts[this.options.identity.id] = this.options.sessionLeases();
    return counts;
  }

  /** Milliseconds since the last cluster event arrived here; undefined before the first. */
  eventLagMs(): number | undefined {
    return this.lastEventAt === undefined ? undefined : this.now() - this.lastEventAt;
  }

  private async announce(): Promise<void> {
    const { identity, registry, events, intervalMs } = this.options;
    try {
      await registry.announce(identity, intervalMs * 3);
      const beat: ReplicaBeat = { replica: identity.id, sessionLeases: this.options.sessionLeases() };
      await events.publish(REPLICA_TOPIC, beat);
    } catch (error) {
      this.options.logger.warn({ error: (error as Error).message }, "replica announcement failed");
    }
  }
}
