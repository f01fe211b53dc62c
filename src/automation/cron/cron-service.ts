import { randomUUID } from "node:crypto";
import { OpenClawError } from "../../errors.js";
import type { CronDelivery, CronJob, CronRun, CronSchedule, CronSession, MissedPolicy } from "./cron-job.js";
import { validateSchedule } from "./cron-schedule.js";
import type { CronScheduler } from "./cron-scheduler.js";
import type { CronStore } from "./cron-store.js";

/** A job as asked for (`cron add`, `cron.add`): what the service fills in is left out. */
export interface CronJobInput {
  name: string;
  agentId?: string;
  schedule: CronSchedule | { kind: "every"; everyMs: number; anchorMs?: number };
  message: string;
  session?: CronSession;
  deliver?: CronDelivery;
  missed?: MissedPolicy;
  enabled?: boolean;
}

export type CronJobPatch = Partial<Omit<CronJobInput, "deliver">> & { deliver?: CronDelivery | null };

/** A job as `cron list` shows it: with when it fires next and whether a run is going. */
export interface CronJobView extends CronJob {
  nextRunAtMs?: number;
  running: boolean;
}

function notFound(idOrName: string): OpenClawError {
  return new OpenClawError("OC_ERR_NOT_FOUND", `no cron job "${idOrName}"`, {
    hint: "see `openclaw cron list` for the jobs' ids and names",
  });
}

function badRequest(message: string, hint: string): OpenClawError {
  return new OpenClawError("OC_ERR_BAD_REQUEST", message, { hint });
}

/** What operators do with cron jobs, over the store and the scheduler; inputs are judged here. */
export class CronService {
  readonly #store: CronStore;
  readonly #scheduler: CronScheduler;
  readonly #agents: { has(agentId: string): boolean; defaultAgentId(): string };
  readonly #now: () => number;

  constructor(options: {
    store: CronStore;
    scheduler: CronScheduler;
    agents: { has(agentId: string): boolean; defaultAgentId(): string };
    now?: () => number;
  }) {
    this.#store = options.store;
    this.#scheduler = options.scheduler;
    this.#agents = options.agents;
    this.#now = options.now ?? Date.now;
  }

  async add(input: CronJobInput): Promise<CronJobView> {
    const now = this.#now();
    const job: CronJob = this.#judge({
      id: randomUUID(),
      name: input.name,
      agentId: input.agentId ?? this.#agents.defaultAgentId(),
      schedule:
        input.schedule.kind === "every"
          ? { kind: "every", everyMs: input.schedule.everyMs, anchorMs: input.schedule.anchorMs ?? now }
          : input.schedule,
      message: input.message,
      session: input.session ?? { kind: "isolated" },
      ...(input.deliver ? { deliver: input.deliver } : {}),
      missed: input.missed ?? "skip",
      enabled: input.enabled ?? true,
      createdAtMs: now,
      updatedAtMs: now,
    });
    if (job.schedule.kind === "at" && Date.parse(job.schedule.at) <= now) {
      throw badRequest(
        `--at ${job.schedule.at} is in the past`,
        "give a future instant, e.g. 2027-02-01T16:00:00Z",
      );
    }
    await this.#store.add(job);
    void this.#scheduler.tick();
    return this.#view(job);
  }

  async edit(idOrName: string, patch: CronJobPatch): Promise<CronJobView> {
    const current = await this.#find(idOrName);
    const now = this.#now();
    const { deliver, schedule, ...rest } = patch;
    const { deliver: _old, ...kept } = current;
    const next: CronJob = this.#judge({
      ...kept,
      ...Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
      ...(schedule
        ? {
            schedule:
              schedule.kind === "every"
                ? { kind: "every", everyMs: schedule.everyMs, anchorMs: schedule.anchorMs ?? now }
                : schedule,
          }
        : {}),
      ...(deliver === null
        ? {}
        : deliver
          ? { deliver }
          : current.deliver
            ? { deliver: current.deliver }
            : {}),
      updatedAtMs: now,
    } as CronJob);
    // A new schedule starts from now: slots of the old one that passed are not "missed".
    if (schedule) next.lastSlotMs = Math.max(current.lastSlotMs ?? 0, now);
    // Re-enabled: the slots that passed while it was off are not owed either.
    if (patch.enabled === true && !current.enabled) next.lastSlotMs = Math.max(current.lastSlotMs ?? 0, now);
    await this.#store.update(next);
    void this.#scheduler.tick();
    return this.#view((await this.#store.get(next.id)) ?? next);
  }

  async remove(idOrName: string): Promise<CronJob> {
    const job = await this.#find(idOrName);
    await this.#store.remove(job.id);
    return job;
  }

  async list(): Promise<CronJobView[]> {
    return (await this.#store.list()).map((job) => this.#view(job));
  }

  async get(idOrName: string): Promise<CronJobView> {
    return this.#view(await this.#find(idOrName));
  }

  /** Runs the job now and resolves with the finished run. */
  async run(idOrName: string): Promise<CronRun> {
    return this.#scheduler.runNow(await this.#find(idOrName));
  }

  async runs(idOrName: string, limit?: number): Promise<{ job: CronJob; runs: CronRun[] }> {
    const job = await this.#find(idOrName);
    return { job, runs: await this.#store.runs(job.id, limit) };
  }

  async #find(idOrName: string): Promise<CronJob> {
    const job = await this.#store.find(idOrName);
    if (!job) throw notFound(idOrName);
    return job;
  }

  #view(job: CronJob): CronJobView {
    const next = this.#scheduler.nextRunAt(job);
    return {
      ...job,
      ...(next !== undefined ? { nextRunAtMs: next } : {}),
      running: this.#scheduler.isBusy(job.id),
    };
  }

  #judge(job: CronJob): CronJob {
    if (typeof job.name !== "string" || job.name.trim() === "")
      throw badRequest("a cron job needs a name", "pass --name <name>");
    if (typeof job.message !== "string" || job.message.trim() === "")
      throw badRequest(
        "a cron job needs a message",
        "pass --message <text>: what the agent is told at each run",
      );
    if (!this.#agents.has(job.agentId)) {
      throw new OpenClawError("OC_ERR_UNKNOWN_AGENT", `no agent "${job.agentId}"`, {
        hint: "pass --agent with an id from `openclaw agents list`",
      });
    }
    if (job.missed !== "skip" && job.missed !== "runOnce")
      throw badRequest(`missed policy "${String(job.missed)}" is unknown`, "use skip or runOnce");
    if (job.session.kind === "key" && !job.session.sessionKey.startsWith(`agent:${job.agentId}:`)) {
      throw badRequest(
        `session key "${job.session.sessionKey}" is not one of agent ${job.agentId}'s`,
        `use a key that starts with agent:${job.agentId}:`,
      );
    }
    if (job.deliver && (!job.deliver.channel || !job.deliver.target))
      throw badRequest(
        "delivery needs a channel and a target",
        "pass --deliver <channel>:<target>, e.g. telegram:12345",
      );
    validateSchedule(job.schedule);
    return job;
  }
}
