import type { RunService } from "../agents/index.js";
import { CronScheduler, CronService, type CronStore, SqliteCronStore } from "../automation/cron/index.js";
import { PostgresCronStore } from "../automation/cron/postgres-cron-store.js";
import { clusterHeartbeatClaim, HeartbeatRunner } from "../automation/heartbeat/index.js";
import { wakeTurnText } from "../automation/hooks/index.js";
import type { ChannelService } from "../channels/index.js";
import type { OpenClawConfig } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import { sessionKeys } from "../sessions/index.js";
import type { WriteOutcomeReporter } from "../state-dir-health/index.js";
import type { PostgresStorage, Storage } from "../storage/index.js";
import type { GatewayPart } from "./lifecycle/part-group.js";

/** What cron and heartbeat use of the gateway (the Gateway itself fits). */
export interface GatewayAutomationOptions {
  readonly stateDir: string;
  readonly runs: RunService;
  /**
   * Shared by a cluster (`shared`): every gateway's scheduler tries each slot and the cron store's
   * claim lets one win; job and heartbeat leases keep turns one at a time across the cluster.
   */
  readonly storage?: Pick<Storage, "shared" | "runLock"> & Partial<Pick<Storage, "kind">>;
  readonly channels: ChannelService;
  readonly logger: Logger;
  readonly stateDirHealth: WriteOutcomeReporter;
  readonly supervisor: { agentIds(): string[]; has(agentId: string): boolean };
  config(): OpenClawConfig;
  /** A stopping gateway waits for its turns to end: cron and heartbeats start none meanwhile. */
  isShuttingDown(): boolean;
  /** Webhook wakes with `mode: "next-heartbeat"` wait here for the session's next heartbeat. */
  readonly hooks?: { service: { wakes: { drain(sessionKey: string): string[] } } };
}

export interface GatewayAutomation {
  cron: CronService;
  heartbeat: HeartbeatRunner;
  part: GatewayPart;
}

/**
 * Cron jobs and heartbeats, as one part started after the channels (a run may deliver to one)
 * and stopped before them. Both run turns through the RunService, as every front door does.
 */
export function createGatewayAutomation(options: GatewayAutomationOptions): GatewayAutomation {
  const { runs, logger } = options;
  const store = cronStoreOf(options);
  const turn = async (agentId: string, sessionKey: string, runId: string, text: string, route: string) => {
    const result = await runs.run({
      agentId,
      sessionKey,
      runId,
      input: { kind: "message", text },
      origin: { transport: "automation", route },
      announce: true,
    });
    return result.outcome.text;
  };
  const deliver = async (
    delivery: { channel: string; target: string; accountId?: string; threadId?: string },
    text: string,
  ) => {
    await options.channels.send({ ...delivery, text });
  };
  const paused = () => options.isShuttingDown();
  const shared = options.storage?.shared === true ? options.storage.runLock : undefined;
  const scheduler = new CronScheduler({
    store,
    paused,
    ...(shared ? { cluster: shared } : {}),
    effects: {
      turn: (job, sessionKey, runId) => turn(job.agentId, sessionKey, runId, job.message, `cron:${job.id}`),
      deliver,
      sessionKeyOf: (job, runId) =>
        job.session.kind === "main"
          ? sessionKeys.main(job.agentId)
          : job.session.kind === "key"
            ? job.session.sessionKey
            : `agent:${job.agentId}:cron:${job.id}:run:${runId}`,
      log: (level, details, message) => logger[level](details, message),
    },
  });
  const cron = new CronService({
    store,
    scheduler,
    agents: {
      has: (agentId) => options.supervisor.has(agentId),
      defaultAgentId: () => options.supervisor.agentIds()[0] ?? "main",
    },
  });
  const heartbeat = new HeartbeatRunner({
    agents: () => heartbeatAgents(options),
    turn: (agentId, prompt, runId) => {
      const sessionKey = sessionKeys.main(agentId);
      // The beat carries the wakes that waited for it, before its own prompt.
      const wakes = options.hooks?.service.wakes.drain(sessionKey) ?? [];
      const text = wakes.length > 0 ? `${wakeTurnText(wakes)}\n\n${prompt}` : prompt;
      return turn(agentId, sessionKey, runId, text, "heartbeat");
    },
    deliver,
    log: (level, details, message) => logger[level](details, message),
    paused,
    ...(shared ? { claim: clusterHeartbeatClaim(shared) } : {}),
  });
  return {
    cron,
    heartbeat,
    part: {
      name: "automation",
      start: async () => {
        await scheduler.start();
        heartbeat.start();
      },
      apply: async () => heartbeat.apply(),
      stop: async () => {
        heartbeat.stop();
        await scheduler.stop();
        await store.close();
      },
    },
  };
}

/**
 * On PostgreSQL the jobs live in the storage's database (the cluster shares them, and the claim
 * runs each slot once); the store leaves the pool to the storage, which closes it last.
 */
function cronStoreOf(options: GatewayAutomationOptions): CronStore {
  if (options.storage?.kind === "postgres")
    return new PostgresCronStore((options.storage as unknown as PostgresStorage).database);
  return new SqliteCronStore(options.stateDir, { health: options.stateDirHealth });
}

/** Each running agent's heartbeat settings: its own block over agents.defaults.heartbeat. */
function heartbeatAgents(options: GatewayAutomationOptions) {
  const agents = options.config().agents as Record<
    string,
    { heartbeat?: Record<string, unknown> } | undefined
  >;
  const defaults = agents.defaults?.heartbeat;
  const ids = options.supervisor.agentIds();
  // As OpenClaw: once any agent has its own block, only those agents beat.
  const anyOwn = ids.some((id) => agents[id]?.heartbeat !== undefined);
  return ids.flatMap((id) => {
    const own = agents[id]?.heartbeat;
    if (anyOwn && own === undefined) return [];
    const settings = { ...(defaults ?? {}), ...(own ?? {}) };
    return defaults === undefined && own === undefined ? [] : [{ agentId: id, settings }];
  });
}
