import { type OpenClawConfig, type ResolvedAgent, resolveAgentConfigs } from "../config/index.js";
import type { Credential } from "../config/schema.js";
import { OpenClawError, toOpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import { createModelProvider, resolveModelSpec } from "../models/index.js";
import { selectTools } from "../tools/index.js";
import type { AgentPlacement, AgentRunner } from "./agent-runner.js";
import { InlineAgentRunner } from "./inline-runner.js";

export const DEV_MODEL_ID = "dev/echo";

export type AgentState = "ready" | "degraded";

export type CredentialReader = (credential: Credential, path: string) => string | undefined;

export interface AgentSnapshot {
  id: string;
  name: string | undefined;
  runtime: string;
  threadBound: boolean;
  placement: AgentPlacement;
  state: AgentState;
  reason: string | undefined;
  model: string;
  usesDevModel: boolean;
  turnsInFlight: number;
  turnsCompleted: number;
  turnsFailed: number;
  lastError: string | undefined;
}

interface AgentHandle {
  config: ResolvedAgent;
  fingerprint: string;
  runner: AgentRunner | undefined;
  snapshot: AgentSnapshot;
}

/**
 * Owns the configured agents: builds each one's runner from config, rebuilds only the agents
 * whose config changed on reload, and keeps per-agent counters for status. An agent whose model
 * cannot be set up is `degraded` with a reason; the others serve.
 */
export class AgentSupervisor {
  private handles = new Map<string, AgentHandle>();

  constructor(
    private readonly logger: Logger,
    private readonly readCredential: CredentialReader,
  ) {}

  /** Applies a (new) config; returns which agents were added, changed and removed. */
  async apply(config: OpenClawConfig): Promise<{ added: string[]; changed: string[]; removed: string[] }> {
    const next = new Map<string, AgentHandle>();
    const added: string[] = [];
    const changed: string[] = [];
    for (const agent of resolveAgentConfigs(config)) {
      const fingerprint = JSON.stringify({ agent, providers: config.models.providers });
      const existing = this.handles.get(agent.id);
      if (existing && existing.fingerprint === fingerprint) {
        next.set(agent.id, existing);
        continue;
      }
      next.set(agent.id, this.build(agent, fingerprint, config));
      (existing ? changed : added).push(agent.id);
    }
    const removed = [...this.handles.keys()].filter((id) => !next.has(id));
    const retired = [...this.handles.values()].filter((handle) => next.get(handle.config.id) !== handle);
    this.handles = next;
    await Promise.all(retired.map((handle) => handle.runner?.close()));
    return { added, changed, removed };
  }

  list(): AgentSnapshot[] {
    return [...this.handles.values()].map((handle) => ({ ...handle.snapshot }));
  }

  has(agentId: string): boolean {
    return this.handles.has(agentId);
  }

  /** Throws the error a turn for this agent would fail with now (unknown, degraded), if any. */
  assertAvailable(agentId: string): void {
    this.available(agentId);
  }

  /** The runner for a turn, or a typed error saying why there is none. */
  acquire(agentId: string): { runner: AgentRunner; release: (error?: unknown) => void } {
    const handle = this.available(agentId);
    const runner = handle.runner as AgentRunner;
    const snapshot = handle.snapshot;
    snapshot.turnsInFlight++;
    let released = false;
    return {
      runner,
      release: (error?: unknown) => {
        if (released) return;
        released = true;
        snapshot.turnsInFlight--;
        if (error === undefined) snapshot.turnsCompleted++;
        else {
          snapshot.turnsFailed++;
          snapshot.lastError = toOpenClawError(error).message;
        }
      },
    };
  }

  private available(agentId: string): AgentHandle {
    const handle = this.handles.get(agentId);
    if (!handle) {
      throw new OpenClawError("OC_ERR_UNKNOWN_AGENT", `no agent "${agentId}" is configured`, {
        hint: `use one of: ${[...this.handles.keys()].join(", ") || "(none)"}`,
        details: { agentId, detailCode: "UNKNOWN_AGENT_ID" },
      });
    }
    if (!handle.runner || handle.snapshot.state !== "ready") {
      throw new OpenClawError("OC_ERR_AGENT_UNAVAILABLE", `agent "${agentId}" is ${handle.snapshot.state}`, {
        hint: handle.snapshot.reason ?? "see `openclaw status`",
        details: { agentId, state: handle.snapshot.state },
      });
    }
    return handle;
  }

  async close(): Promise<void> {
    const handles = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(handles.map((handle) => handle.runner?.close()));
  }

  private build(agent: ResolvedAgent, fingerprint: string, config: OpenClawConfig): AgentHandle {
    const modelId = agent.model ?? DEV_MODEL_ID;
    const snapshot: AgentSnapshot = {
      id: agent.id,
      name: agent.name,
      runtime: agent.runtime,
      threadBound: agent.threadBound,
      placement: "main",
      state: "ready",
      reason: undefined,
      model: modelId,
      usesDevModel: false,
      turnsInFlight: 0,
      turnsCompleted: 0,
      turnsFailed: 0,
      lastError: undefined,
    };
    try {
      const spec = resolveModelSpec(modelId, config.models.providers, this.readCredential);
      snapshot.model = `${spec.provider}/${spec.model}`;
      snapshot.usesDevModel = spec.type === "dev";
      const runner = new InlineAgentRunner({
        agentId: agent.id,
        model: createModelProvider(spec),
        tools: selectTools(agent.tools),
        ...(agent.systemPrompt ? { systemPrompt: agent.systemPrompt } : {}),
        ...(agent.maxSteps ? { maxSteps: agent.maxSteps } : {}),
      });
      return { config: agent, fingerprint, runner, snapshot };
    } catch (error) {
      const failure = toOpenClawError(error, "OC_ERR_MODEL_CONFIG");
      snapshot.state = "degraded";
      snapshot.reason = failure.describe();
      this.logger.warn({ agent: agent.id, code: failure.code, reason: failure.message }, "agent degraded");
      return { config: agent, fingerprint, runner: undefined, snapshot };
    }
  }
}
