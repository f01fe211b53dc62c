import { randomUUID } from "node:crypto";
import { parseDuration } from "../cron/cron-schedule.js";
import { type ActiveHours, withinActiveHours } from "./active-hours.js";
import { isNothingToReport } from "./heartbeat-reply.js";

/** The prompt when none is configured: this gateway's own wording of OpenClaw's contract. */
export const DEFAULT_HEARTBEAT_PROMPT =
  "Heartbeat check. Look at what you were asked to watch; if something needs the user's attention, say it briefly. If nothing does, reply NO_REPLY.";

export const DEFAULT_HEARTBEAT_EVERY = "30m";

/** One agent's heartbeat settings (its block over agents.defaults.heartbeat). */
export interface HeartbeatSettings {
  every?: string;
  activeHours?: ActiveHours;
  prompt?: string;
  target?: string;
  to?: string;
  accountId?: string;
}

export type HeartbeatOutcome = "delivered" | "silent" | "not-delivered" | "outside-hours" | "error";

export interface HeartbeatBeat {
  agentId: string;
  atMs: number;
  outcome: HeartbeatOutcome;
  runId?: string;
  error?: string;
}

export interface HeartbeatRunnerOptions {
  /** The agents that beat now, with their settings (read at start and at each config apply). */
  agents(): { agentId: string; settings: HeartbeatSettings }[];
  /** A turn in the agent's main session; resolves with the reply's text. */
  turn(agentId: string, prompt: string, runId: string): Promise<string>;
  deliver(delivery: { channel: string; target: string; accountId?: string }, text: string): Promise<void>;
  log?(level: "info" | "warn" | "error", details: Record<string, unknown>, message: string): void;
  now?: () => number;
  /** While true no beat starts (the gateway is stopping). */
  paused?: () => boolean;
  /**
   * In a cluster: whether this gateway takes the agent's beat now (a lease on it, taken for a
   * little less than a period, see `clusterHeartbeatClaim`). False: another gateway beat within
   * the period, and this one skips, so a cluster beats once per period, not once per gateway.
   */
  claim?: (agentId: string, everyMs: number) => Promise<boolean>;
}

interface Beating {
  everyMs: number;
  settings: HeartbeatSettings;
  timer: NodeJS.Timeout;
  busy: boolean;
}

/**
 * Heartbeats: per agent, a turn every `every` in its main session. The cadence is kept in
 * memory from the gateway's start (a heartbeat owes nothing for the time the gateway was down);
 * a beat while the previous one still runs is skipped, not queued.
 */
export class HeartbeatRunner {
  readonly #options: HeartbeatRunnerOptions;
  readonly #beating = new Map<string, Beating>();
  readonly #last = new Map<string, HeartbeatBeat>();
  #started = false;

  constructor(options: HeartbeatRunnerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#started = true;
    this.apply();
  }

  /** Follows the config: new cadences start now, unchanged ones keep their rhythm. */
  apply(): void {
    if (!this.#started) return;
    const wanted = new Map<string, HeartbeatSettings>();
    for (const { agentId, settings } of this.#options.agents()) wanted.set(agentId, settings);
    for (const [agentId, beating] of this.#beating) {
      const settings = wanted.get(agentId);
      const everyMs = settings ? this.#everyMs(agentId, settings) : 0;
      if (!settings || everyMs !== beating.everyMs) {
        clearInterval(beating.timer);
        this.#beating.delete(agentId);
      } else beating.settings = settings;
    }
    for (const [agentId, settings] of wanted) {
      if (this.#beating.has(agentId)) continue;
      const everyMs = this.#everyMs(agentId, settings);
      if (everyMs <= 0) continue;
      const timer = setInterval(() => void this.beat(agentId), everyMs);
      timer.unref?.();
      this.#beating.set(agentId, { everyMs, settings, timer, busy: false });
    }
  }

  stop(): void {
    this.#started = false;
    for (const beating of this.#beating.values()) clearInterval(beating.timer);
    this.#beating.clear();
  }

  /** The latest beat per agent (status). */
  last(): HeartbeatBeat[] {
    return [...this.#last.values()];
  }

  /** One beat of the agent now (the timer's, or a test's): undefined when it is not beating or busy. */
  async beat(agentId: string): Promise<HeartbeatBeat | undefined> {
    const beating = this.#beating.get(agentId);
    if (!beating || beating.busy || this.#options.paused?.()) return undefined;
    const now = this.#options.now ?? Date.now;
    const atMs = now();
    const { settings } = beating;
    if (!withinActiveHours(settings.activeHours, atMs))
      return this.#record({ agentId, atMs, outcome: "outside-hours" });
    beating.busy = true;
    const runId = randomUUID();
    try {
      if (this.#options.claim && !(await this.#options.claim(agentId, beating.everyMs))) return undefined;
      const reply = await this.#options.turn(agentId, settings.prompt ?? DEFAULT_HEARTBEAT_PROMPT, runId);
      if (isNothingToReport(reply)) return this.#record({ agentId, atMs, outcome: "silent", runId });
      const route = routeOf(settings);
      if (!route) {
        if (settings.target && settings.target !== "none")
          this.#options.log?.(
            "warn",
            { agentId, target: settings.target },
            "heartbeat target has no recipient: not delivered",
          );
        return this.#record({ agentId, atMs, outcome: "not-delivered", runId });
      }
      await this.#options.deliver(
        { ...route, ...(settings.accountId ? { accountId: settings.accountId } : {}) },
        reply,
      );
      return this.#record({ agentId, atMs, outcome: "delivered", runId });
    } catch (error) {
      this.#options.log?.("warn", { agentId, error: (error as Error).message }, "heartbeat failed");
      return this.#record({ agentId, atMs, outcome: "error", runId, error: (error as Error).message });
    } finally {
      beating.busy = false;
    }
  }

  #record(beat: HeartbeatBeat): HeartbeatBeat {
    this.#last.set(beat.agentId, beat);
    return beat;
  }

  #everyMs(agentId: string, settings: HeartbeatSettings): number {
    try {
      return parseDuration(settings.every ?? DEFAULT_HEARTBEAT_EVERY, "heartbeat.every");
    } catch (error) {
      this.#options.log?.("warn", { agentId, error: (error as Error).message }, "heartbeat off: bad cadence");
      return 0;
    }
  }
}

/**
 * The claim of a cluster's heartbeats: a lease on `heartbeat:<agent>` for 90% of the period,
 * never released. The first gateway whose timer fires takes it; the others' timers, firing
 * within the period, find it held. The 10% leaves room for timers that drift.
 */
export function clusterHeartbeatClaim(lock: {
  acquire(key: string, ttlMs: number): Promise<unknown>;
}): (agentId: string, everyMs: number) => Promise<boolean> {
  return async (agentId, everyMs) =>
    (await lock.acquire(`heartbeat:${agentId}`, Math.max(1, Math.floor(everyMs * 0.9)))) !== null;
}

/**
 * Where a heartbeat's alert goes: OpenClaw's `target: "<channel>"` with `to`, or a channel target
 * in one string (`telegram:123456789`). `none`, and OpenClaw's `owner`/`last` (which need an
 * owner registry and a last-route memory this gateway does not have), deliver nothing.
 */
export function routeOf(settings: HeartbeatSettings): { channel: string; target: string } | undefined {
  const { target, to } = settings;
  if (!target || target === "none" || target === "owner" || target === "last") return undefined;
  if (to) return { channel: target, target: to };
  const split = target.indexOf(":");
  if (split <= 0 || split === target.length - 1) return undefined;
  return { channel: target.slice(0, split), target: target.slice(split + 1) };
}
