import { createConfinement, DEFAULT_CONFINEMENT_LIMITS } from "../confinement/index.js";
import { createModelProvider, type ProviderFetch } from "../models/index.js";
import type { ModelProvider } from "../models/types.js";
import {
  BUILTIN_TOOLS,
  type CanvasAccess,
  type CommandRunner,
  canvasTool,
  createHostCommandRunner,
  createSubagentAccess,
  loadPluginTools,
  MEMORY_TOOLS,
  type MemoryAccess,
  SUBAGENT_TOOLS,
  selectTools,
  type Tool,
  WORKSPACE_TOOLS,
  type WorkspaceAccess,
} from "../tools/index.js";
import type { HostServices, RunnerTurnInput } from "./agent-runner.js";
import type { AgentRuntimeSettings } from "./agent-settings.js";
import { runAgentTurn } from "./turn/run-turn.js";
import type { TurnOutcome } from "./turn/turn-events.js";

/**
 * An agent's model and tools, built where the agent runs: on the main thread for shared
 * placement, inside the worker for thread-bound and pooled agents. Plugins are imported here, so
 * a thread-bound agent's plugins never execute on the gateway's own thread.
 */
export class AgentRuntime {
  private readonly hostRunner: CommandRunner;

  private constructor(
    private readonly settings: AgentRuntimeSettings,
    private readonly model: ModelProvider,
    readonly tools: readonly Tool[],
    private readonly services: HostServices,
  ) {
    this.hostRunner = hostRunnerFor(settings.workspace);
  }

  /**
   * `fetch` is the egress path the model's provider requests take (see egress-relay);
   * `services` are the gateway's: a sandboxed agent's commands, the agent's memory.
   */
  static async create(
    settings: AgentRuntimeSettings,
    fetch?: ProviderFetch,
    services: HostServices = {},
  ): Promise<AgentRuntime> {
    const model = await createModelProvider(settings.model, fetch);
    const builtins = [
      ...BUILTIN_TOOLS,
      ...WORKSPACE_TOOLS,
      ...(services.memory ? MEMORY_TOOLS : []),
      ...(services.canvas ? [canvasTool] : []),
      ...(settings.subagents.targets.length > 0 ? SUBAGENT_TOOLS : []),
    ];
    const plugins = await loadPluginTools(
      settings.pluginPaths,
      builtins.map((tool) => tool.name),
    );
    const tools = selectTools(settings.toolAllowList, [...builtins, ...plugins]);
    return new AgentRuntime(settings, model, tools, services);
  }

  get agentId(): string {
    return this.settings.agentId;
  }

  /** Where this turn's commands run: the agent's container, or the host confined to the workspace. */
  private workspaceFor(sessionKey: string): WorkspaceAccess {
    const { root, sandboxed, execTimeoutMs, host, hidden } = this.settings.workspace;
    const { agentId } = this.settings;
    const sandboxExec = this.services.sandboxExec;
    const runner: CommandRunner = sandboxed
      ? {
          run: async ({ signal, ...request }) => {
            if (!sandboxExec) throw new Error(`agent "${agentId}" is sandboxed but has no sandbox`);
            signal?.throwIfAborted();
            return sandboxExec({ ...request, agentId, sessionKey });
          },
        }
      : this.hostRunner;
    const confined = sandboxed || host.confinement === "bubblewrap";
    return { root, sandboxed, confined, runner, execTimeoutMs, hidden };
  }

  private memoryFor(sessionKey: string): MemoryAccess {
    const memory = this.services.memory;
    const { agentId } = this.settings;
    return {
      call: (op, input) => {
        if (!memory) throw new Error("memory is off");
        return memory({ agentId, sessionKey, op, input });
      },
    };
  }

  private canvasFor(sessionKey: string): CanvasAccess {
    const canvas = this.services.canvas;
    const { agentId } = this.settings;
    return {
      call: (action, input) => {
        if (!canvas) throw new Error("no canvas");
        return canvas({ agentId, sessionKey, action, input });
      },
    };
  }

  runTurn(input: Omit<RunnerTurnInput, "agentId">): Promise<TurnOutcome> {
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
          })
        : undefined;
    return runAgentTurn({
      agentId,
      sessionKey: input.sessionKey,
      model: this.model,
      tools: this.tools,
      messages: input.messages,
      signal: input.signal,
      emit: input.emit,
      ...(systemPrompt ? { systemPrompt } : {}),
      ...(maxSteps ? { maxSteps } : {}),
      ...(access ? { subagents: access } : {}),
      workspace: this.workspaceFor(input.sessionKey),
      ...(this.services.memory ? { memory: this.memoryFor(input.sessionKey) } : {}),
      ...(this.services.canvas ? { canvas: this.canvasFor(input.sessionKey) } : {}),
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
