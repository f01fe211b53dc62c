import { type ResolvedAgent, resolveAgentConfigs } from "../config/agents.js";
import type { OpenClawConfig } from "../config/index.js";
import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import type { CredentialReader, ProviderFetch } from "../models/index.js";
import { agentIdOfSessionKey } from "../sessions/index.js";
import type { AgentRunner, ReleasableHeap } from "./agent-runner.js";
import type { AgentRuntimeSettings, ResolvedLimits } from "./agent-settings.js";
import type { HostServiceRegistry } from "./host-services/host-service-registry.js";
import type { SandboxHost } from "./host-services/sandbox-service.js";
import { resolveRuntimeSettings } from "./runtime-settings.js";
import { buildRunner, type RunnerBuildOptions } from "./supervisor/agent-placement.js";
import type { AgentSnapshot } from "./supervisor/agent-snapshot.js";
import { AgentStarter, type RunnerFactory } from "./supervisor/agent-starter.js";
import { writeThreadHeapSnapshot } from "./supervisor/heap-snapshots.js";
import { planPool } from "./supervisor/pool-plan.js";
import { type SupervisedAgent, superviseAgent } from "./supervisor/supervised-agent.js";
import { SYSTEM_TURN_CLOCK, type TurnClock } from "./turn-clock.js";
import type { PoolSnapshot, WorkerPool } from "./worker/worker-pool.js";

export { RECENT_WINDOW_MS } from "./recent-counter.js";
export type { AgentSnapshot, AgentState } from "./supervisor/agent-snapshot.js";

export interface TurnLease {
  runner: AgentRunner;
  limits: ResolvedLimits;
  release(error?: unknown): void;
}

/** How long a replaced runner waits for the turns that hold its slots (as long as a graceful close). */
const RETIRE_LEASE_WAIT_MS = 30_000;

export interface AgentSupervisorOptions {
  logger: Logger;
  /** Gives each provider credential's placeholder (see models' CredentialReader). */
  readCredential: CredentialReader;
  /** The egress path of every agent's provider requests: the gateway's credential broker. */
  egressFetch: ProviderFetch;
  /** Where default workspaces live (`<stateDir>/workspace/<id>`). */
  stateDir: string;
  /** The gateway's services for the agents' tools (sandbox exec, memory, canvas, ...). */
  hostServices: HostServiceRegistry;
  /** Prepares and releases sandboxed agents' containers; without it, a sandboxed agent is degraded. */
  sandbox?: SandboxHost;
  /** The time source of deadlines, restart back-off and the recent counts; a test drives its own. */
  clock?: TurnClock;
}

/**
 * Owns the configured agents: places each one (main thread, own worker thread, or the shared
 * pool: see agent-placement), admits turns within its limits, restarts a crashed agent with
 * back-off and degrades it after repeated crashes (restart-policy), and rebuilds only the agents
 * whose config changed on a reload. An agent's trouble is that agent's alone: the others keep
 * serving. Each agent's own state lives in its SupervisedAgent; this class composes them.
 */
export class AgentSupervisor {
  private agents = new Map<string, SupervisedAgent>();
  private pool: WorkerPool | undefined;
  private applying: Promise<unknown> = Promise.resolve();
  private readonly retiring = new Set<Promise<void>>();
  private configPath = "";
  private readonly runners: RunnerBuildOptions;
  private readonly starter: AgentStarter;
  /** What turn deadlines are measured with (shared with the chat service). */
  readonly clock: TurnClock;

  constructor(private readonly options: AgentSupervisorOptions) {
    this.clock = options.clock ?? SYSTEM_TURN_CLOCK;
    const { logger, egressFetch, hostServices } = options;
    this.runners = { logger, egressFetch, hostServices };
    const build: RunnerFactory = (plan, settings, onCrash) =>
      buildRunner(plan, settings, onCrash, this.runners);
    this.starter = new AgentStarter(build, options.sandbox, logger);
  }

  /** Applies a (new) config; returns which agents were added, changed and removed. */
  apply(
    config: OpenClawConfig,
    configPath = this.configPath,
  ): Promise<{ added: string[]; changed: string[]; removed: string[] }> {
    const run = this.applying.catch(() => undefined).then(() => this.applyNow(config, configPath));
    this.applying = run;
    return run;
  }

  private async applyNow(config: OpenClawConfig, configPath: string) {
    this.configPath = configPath;
    const resolved = resolveAgentConfigs(config);
    const { readCredential, stateDir, logger } = this.options;
    // Settings are resolved more than once per apply; a malformed SKILL.md is logged once.
    const warned = new Set<string>();
    const settingsOf = (agent: ResolvedAgent) =>
      resolveRuntimeSettings(agent, resolved, config, configPath, readCredential, stateDir, (warning) => {
        if (warned.has(warning.file)) return;
        warned.add(warning.file);
        logger.warn({ file: warning.file, reason: warning.reason }, "skill skipped: malformed SKILL.md");
      });
    const pool = planPool(config, resolved, this.pool, settingsOf, this.runners);
    const next = new Map<string, SupervisedAgent>();
    const added: string[] = [];
    const changed: string[] = [];
    const fresh: SupervisedAgent[] = [];
    for (const agentConfig of resolved) {
      const candidate = superviseAgent(agentConfig, { config, pool, clock: this.clock, logger, settingsOf });
      const existing = this.agents.get(agentConfig.id);
      if (existing && existing.fingerprint === candidate.fingerprint) {
        next.set(agentConfig.id, existing);
        continue;
      }
      next.set(agentConfig.id, candidate);
      fresh.push(candidate);
      (existing ? changed : added).push(agentConfig.id);
    }
    const previousPool = this.pool;
    if (pool.pool !== previousPool) await pool.pool?.start().catch(() => undefined);
    // New runners start before they replace the old ones, so a reload never opens a gap.
    await Promise.all(fresh.map((agent) => this.starter.start(agent)));
    const removed = [...this.agents.keys()].filter((id) => !next.has(id));
    const retired = [...this.agents.values()].filter((agent) => next.get(agent.id) !== agent);
    this.agents = next;
    this.pool = pool.pool;
    for (const agent of retired) this.retire(agent);
    if (previousPool && previousPool !== this.pool) this.track(previousPool.close({ graceful: true }));
    return { added, changed, removed };
  }

  list(): AgentSnapshot[] {
    return [...this.agents.values()].map((agent) => agent.snapshot());
  }

  get(agentId: string): AgentSnapshot {
    return this.agentOf(agentId).snapshot();
  }

  /** The shared worker pool (`agents.defaults.pool`), when one runs. */
  poolSnapshot(): PoolSnapshot | undefined {
    return this.pool?.snapshot();
  }

  /** The agent's `provider/model` (cheap: no stats gathered, unlike `get`); throws for an unknown one. */
  modelOf(agentId: string): string {
    return this.agentOf(agentId).model;
  }

  /** The ids of the configured agents, in config order: cheap, no stats gathered. */
  agentIds(): string[] {
    return [...this.agents.keys()];
  }

  has(agentId: string): boolean {
    return this.agents.has(agentId);
  }

  /** Throws the error a turn for this agent would fail with now (unknown, down, queue full). */
  assertAvailable(agentId: string): void {
    const agent = this.agentOf(agentId);
    try {
      agent.available();
      agent.admission.assertRoom();
    } catch (error) {
      agent.statistics.turnRejected();
      throw error;
    }
  }

  /** The agent's limits in force (cheap: no stats gathered). */
  limitsOf(agentId: string): ResolvedLimits {
    return this.agentOf(agentId).limits;
  }

  /** Counts a turn refused before it reached the admission (it timed out behind its session's). */
  countRejectedTurn(agentId: string): void {
    this.agents.get(agentId)?.statistics.turnRejected();
  }

  /**
   * Waits for a turn slot of the agent; throws a typed error when it cannot have one. `arrivedAt`
   * (on `clock`) is when the turn reached the gateway: its queue timeout counts from then.
   */
  async acquire(agentId: string, signal?: AbortSignal, arrivedAt = this.clock.now()): Promise<TurnLease> {
    const agent = this.agentOf(agentId);
    let leave: () => void;
    try {
      agent.available();
      leave = await agent.admission.enter(signal, arrivedAt);
    } catch (error) {
      if (!signal?.aborted) agent.statistics.turnRejected();
      throw error;
    }
    // Replaced by a reload while queued: the new entry serves.
    if (this.agents.get(agentId) !== agent) {
      leave();
      return this.acquire(agentId, signal, arrivedAt);
    }
    let runner: AgentRunner;
    try {
      runner = agent.available();
    } catch (error) {
      // It went down while the turn was queued.
      leave();
      throw error;
    }
    agent.statistics.turnAdmitted();
    const giveBack = agent.leases.hold();
    let released = false;
    return {
      runner,
      limits: agent.limits,
      release: (error?: unknown) => {
        if (released) return;
        released = true;
        leave();
        giveBack();
        agent.statistics.turnEnded(error);
      },
    };
  }

  /** Stops one agent (its thread, for a thread-bound agent) until `restart`. */
  async kill(agentId: string): Promise<AgentSnapshot> {
    const agent = this.agentOf(agentId);
    const stopped = new OpenClawError(
      "OC_ERR_AGENT_UNAVAILABLE",
      `agent "${agentId}" was stopped by an operator`,
      { hint: `start it again with \`openclaw agents restart ${agentId}\`` },
    );
    const runner = agent.stop("stopped by an operator (`openclaw agents kill`)");
    agent.admission.rejectWaiting(stopped);
    await runner?.close(stopped);
    this.options.logger.warn({ agent: agentId }, "agent stopped by operator");
    return agent.snapshot();
  }

  /** Each agent's workspace directory (agents whose settings resolved). */
  workspaceRoots(): Map<string, string> {
    const roots = new Map<string, string>();
    for (const [id, agent] of this.agents) if (agent.settings) roots.set(id, agent.settings.workspace.root);
    return roots;
  }

  /** An agent's workspace settings (where its commands, and its stdio MCP servers, run). */
  workspaceOf(agentId: string): AgentRuntimeSettings["workspace"] | undefined {
    return this.agents.get(agentId)?.settings?.workspace;
  }

  /** A heap snapshot of a thread-bound agent's worker, written into `directory`. */
  async writeHeapSnapshot(agentId: string, directory: string): Promise<{ path: string; bytes: number }> {
    const agent = this.agentOf(agentId);
    const written = await writeThreadHeapSnapshot(agentId, agent.runner, agent.state, directory);
    this.options.logger.info({ agent: agentId, ...written }, "agent heap snapshot written");
    return written;
  }

  /** Starts the agent afresh (a new thread), whatever its state; clears its crash history. */
  async restart(agentId: string): Promise<AgentSnapshot> {
    const agent = this.agentOf(agentId);
    agent.restarts.reset();
    await agent.detachRunner()?.close(
      new OpenClawError("OC_ERR_AGENT_UNAVAILABLE", `agent "${agentId}" was restarted by an operator`, {
        details: { retryAfterMs: 1000 },
      }),
    );
    if (agent.settings) {
      await this.starter.start(agent);
      if (agent.state === "ready") agent.statistics.restarted();
    }
    this.options.logger.info({ agent: agentId, state: agent.state }, "agent restarted by operator");
    return agent.snapshot();
  }

  async close(): Promise<void> {
    const agents = [...this.agents.values()];
    this.agents.clear();
    const reason = new OpenClawError("OC_ERR_AGENT_UNAVAILABLE", "the gateway is shutting down");
    const runners = agents.map((agent) => {
      agent.retire();
      const runner = agent.stop(reason.message);
      agent.admission.rejectWaiting(reason);
      return runner;
    });
    await Promise.all(runners.map((runner) => runner?.close(reason)));
    await this.pool?.close();
    this.pool = undefined;
    await Promise.all(this.retiring);
  }

  /** A session was deleted: the agent it names kills the session's background processes. */
  async endSession(sessionKey: string): Promise<void> {
    const agentId = agentIdOfSessionKey(sessionKey);
    const agent = agentId === undefined ? undefined : this.agents.get(agentId);
    if (agentId !== undefined) await agent?.runner?.endSession?.(agentId, sessionKey);
  }

  /** The gateway is idle: every agent thread (each pool thread once) gives its freed memory back. */
  releaseHeaps(): void {
    const heaps = new Set<ReleasableHeap>();
    for (const agent of this.agents.values()) {
      const heap = agent.runner?.heap?.();
      if (heap) heaps.add(heap);
    }
    for (const heap of heaps) heap.releaseHeap();
  }

  private agentOf(agentId: string): SupervisedAgent {
    const agent = this.agents.get(agentId);
    if (agent) return agent;
    throw new OpenClawError("OC_ERR_UNKNOWN_AGENT", `no agent "${agentId}" is configured`, {
      hint: `use one of: ${[...this.agents.keys()].join(", ") || "(none)"}`,
      details: { agentId, detailCode: "UNKNOWN_AGENT_ID" },
    });
  }

  private retire(agent: SupervisedAgent): void {
    agent.retire();
    const next = this.agents.get(agent.id);
    if (agent.settings?.workspace.sandboxed && !next?.settings?.workspace.sandboxed) {
      this.track(this.options.sandbox?.release(agent.id) ?? Promise.resolve());
    }
    const runner = agent.runner;
    if (!runner) return;
    const reason = new OpenClawError(
      "OC_ERR_AGENT_UNAVAILABLE",
      `agent "${agent.id}" was replaced by a config reload`,
      { details: { retryAfterMs: 1000 } },
    );
    // Turns that hold a slot of this agent but have not reached its runner yet (reading their
    // history, writing the user message) must find it open: close once they are all back.
    this.track(
      agent.leases.drained(RETIRE_LEASE_WAIT_MS).then(() => runner.close(reason, { graceful: true })),
    );
  }

  private track(closing: Promise<void>): void {
    const tracked = closing.catch(() => undefined).finally(() => this.retiring.delete(tracked));
    this.retiring.add(tracked);
  }
}
