import { createConfinement, DEFAULT_CONFINEMENT_LIMITS } from "../confinement/index.js";
import type { ModelProvider } from "../models/types.js";
import {
  BackgroundProcesses,
  BUILTIN_TOOLS,
  type CommandResult,
  type CommandRunner,
  createHostCommandRunner,
  createSubagentAccess,
  DEFAULT_PROCESS_LIMITS,
  type HostAccess,
  listMcpTools,
  loadPluginTools,
  MCP_SERVICE,
  SERVICE_TOOLS,
  SUBAGENT_TOOLS,
  SUBAGENTS_SERVICE,
  type SubagentRunResult,
  selectTools,
  type Tool,
  WORKSPACE_TOOLS,
  type WorkspaceAccess,
} from "../tools/index.js";
import type { RunnerTurnInput } from "./agent-runner.js";
import type { AgentRuntimeSettings } from "./agent-settings.js";
import { SANDBOX_SERVICE } from "./host-services/sandbox-service.js";
import { checkToolAllowList } from "./tool-allow-list.js";
import { runAgentTurn } from "./turn/run-turn.js";
import type { TurnOutcome } from "./turn/turn-events.js";

/** A turn as the runtime runs it: the runner's input and the turn's way to the gateway's services. */
export interface RuntimeTurnInput extends Omit<RunnerTurnInput, "agentId"> {
  /** Bound to this turn by the runner: the gateway knows which agent and session ask. */
  host: HostAccess;
  /** Services the gateway said have nothing for this turn (HostServiceRegistry.idleFor). */
  idleServices?: readonly string[];
}

/**
 * An agent's model and tools, built where the agent runs: on the main thread for shared
 * placement, inside the worker for thread-bound and pooled agents. Plugins are imported here, so
 * a thread-bound agent's plugins never execute on the gateway's own thread. Reached through
 * AgentRuntime, which builds it when the agent first needs its tools.
 */
export class AgentToolbox {
  private readonly hostRunner: CommandRunner;
  /** `exec { background: true }`: owned here, so they live and die with this agent's runtime. */
  private readonly processes: BackgroundProcesses;

  private constructor(
    private readonly settings: AgentRuntimeSettings,
    private readonly model: ModelProvider,
    private readonly fallbacks: readonly ModelProvider[],
    readonly tools: readonly Tool[],
    /** The gateway keeps subagent runs for later turns of a session (its subagents service). */
    private readonly keepsEarlierRuns: boolean,
    /** The gateway offers MCP servers' tools (its mcp service), listed anew each turn. */
    private readonly offersMcp: boolean,
  ) {
    this.hostRunner = hostRunnerFor(settings.workspace);
    // Without a runner background processes are refused, saying why (not yet in Docker).
    const limits = { ...DEFAULT_PROCESS_LIMITS, ...settings.workspace.processes };
    const refusal = settings.workspace.sandboxed
      ? "its commands run in the Docker sandbox"
      : limits.pooled
        ? "it runs in the agent pool, whose threads do not share processes; make it threadBound"
        : undefined;
    this.processes = new BackgroundProcesses(refusal ? undefined : this.hostRunner, limits, refusal);
  }

  /**
   * `models` are the agent's, built by AgentRuntime; `hostServices` names the services the
   * gateway registered: the built-in tools that call one are offered only when it is there.
   */
  static async create(
    settings: AgentRuntimeSettings,
    models: { model: ModelProvider; fallbacks: readonly ModelProvider[] },
    hostServices: readonly string[],
  ): Promise<AgentToolbox> {
    const { model, fallbacks } = models;
    const provided = new Set(hostServices);
    const builtins = [
      ...BUILTIN_TOOLS,
      ...WORKSPACE_TOOLS,
      ...SERVICE_TOOLS.filter((tool) => tool.hostService === undefined || provided.has(tool.hostService)),
      ...(settings.subagents.targets.length > 0 ? SUBAGENT_TOOLS : []),
    ];
    const plugins = await loadPluginTools(
      settings.pluginPaths,
      builtins.map((tool) => tool.name),
    );
    checkToolAllowList(
      settings.agentId,
      settings.toolAllowList,
      plugins.map((tool) => tool.name),
    );
    const tools = selectTools(settings.toolAllowList, [...builtins, ...plugins], settings.toolPolicies);
    return new AgentToolbox(
      settings,
      model,
      fallbacks,
      tools,
      provided.has(SUBAGENTS_SERVICE),
      provided.has(MCP_SERVICE),
    );
  }

  /** Told each background process's pid as it starts and ends (the worker reports them to its thread). */
  onBackgroundProcess(listener: (pid: number, running: boolean) => void): void {
    this.processes.observe(listener);
  }

  /** Kills this agent's background processes: it is stopping or restarting. */
  shutdown(): Promise<void> {
    return this.processes.shutdown();
  }

  /** Kills the background processes of a session that has ended. */
  endSession(sessionKey: string): Promise<void> {
    return this.processes.endSession(sessionKey);
  }

  get agentId(): string {
    return this.settings.agentId;
  }

  /** Where this turn's commands run: the agent's container, or the host confined to the workspace. */
  private workspaceFor(host: HostAccess, sessionKey: string): WorkspaceAccess {
    const { root, sandboxed, execTimeoutMs, host: hostExec, hidden } = this.settings.workspace;
    // A sandboxed agent's commands never fall back to the host: without the service they fail.
    const runner: CommandRunner = sandboxed
      ? {
          run: ({ signal, ...request }) =>
            host.call(SANDBOX_SERVICE, "exec", request, signal ? { signal } : {}) as Promise<CommandResult>,
        }
      : this.hostRunner;
    const confined = sandboxed || hostExec.confinement === "bubblewrap";
    const processes = this.processes.forSession(sessionKey);
    return { root, sandboxed, confined, runner, execTimeoutMs, hidden, processes };
  }

  /**
   * This turn's tools: the agent's own, and the MCP tools its policy allows (checked again by the
   * gateway, which lists only those). A server that cannot start costs its tools, not the turn.
   */
  private async turnTools(input: RuntimeTurnInput): Promise<readonly Tool[]> {
    if (!this.offersMcp || input.idleServices?.includes(MCP_SERVICE)) return this.tools;
    const listed = await listMcpTools(input.host, input.signal).catch((error: unknown) => {
      input.signal.throwIfAborted();
      void error;
      return [];
    });
    const { toolAllowList, toolPolicies } = this.settings;
    const own = new Set(this.tools.map((tool) => tool.name));
    const mcp = selectTools(toolAllowList, listed, toolPolicies).filter((tool) => !own.has(tool.name));
    return mcp.length > 0 ? [...this.tools, ...mcp] : this.tools;
  }

  async runTurn(input: RuntimeTurnInput): Promise<TurnOutcome> {
    const tools = await this.turnTools(input);
    const { agentId, systemPrompt, maxSteps, subagents } = this.settings;
    const access =
      subagents.targets.length > 0
        ? createSubagentAccess({
            allowedTargets: subagents.targets,
            depth: input.depth,
            maxDepth: subagents.maxDepth,
            maxFanOut: subagents.maxFanOut,
            signal: input.signal,
            run: ({ agentId: target, task, depth }) => {
              const runId = crypto.randomUUID();
              return { runId, result: input.delegate({ runId, agentId: target, task, depth }) };
            },
            ...(this.keepsEarlierRuns
              ? {
                  waitEarlier: (runId: string) =>
                    input.host.call(
                      SUBAGENTS_SERVICE,
                      "wait",
                      { runId },
                      { signal: input.signal },
                    ) as Promise<SubagentRunResult>,
                }
              : {}),
          })
        : undefined;
    return runAgentTurn({
      agentId,
      sessionKey: input.sessionKey,
      model: this.model,
      fallbacks: this.fallbacks,
      tools,
      messages: input.messages,
      signal: input.signal,
      emit: input.emit,
      ...(systemPrompt ? { systemPrompt } : {}),
      ...(maxSteps ? { maxSteps } : {}),
      ...(access ? { subagents: access } : {}),
      workspace: this.workspaceFor(input.host, input.sessionKey),
      host: input.host,
      ...(input.invoke ? { invoke: input.invoke } : {}),
      ...(input.clientTools ? { clientTools: input.clientTools } : {}),
    });
  }
}

/** The host runner of an agent without a Docker sandbox: confined by bubblewrap unless opted out. */
function hostRunnerFor(workspace: AgentRuntimeSettings["workspace"]): CommandRunner {
  const { host, hidden, root } = workspace;
  if (host.confinement === "unconfined") return createHostCommandRunner(root, { confinement: "unconfined" });
  return createHostCommandRunner(root, {
    confinement: "bubblewrap",
    network: host.network,
    limits: {
      ...DEFAULT_CONFINEMENT_LIMITS,
      pids: host.pidsLimit,
      cpuSeconds: host.cpuSeconds,
      maxFileBytes: host.maxFileMb * 1024 * 1024,
    },
    hidden,
    bubblewrap: createConfinement({ searchPath: host.searchPath }),
  });
}
