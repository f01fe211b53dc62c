import { createModelProvider, type ProviderFetch } from "../models/index.js";
import type { ModelProvider } from "../models/types.js";
import {
  BUILTIN_TOOLS,
  createSubagentAccess,
  loadPluginTools,
  SUBAGENT_TOOLS,
  selectTools,
  type Tool,
} from "../tools/index.js";
import type { RunnerTurnInput } from "./agent-runner.js";
import type { AgentRuntimeSettings } from "./agent-settings.js";
import { runAgentTurn } from "./turn/run-turn.js";
import type { TurnOutcome } from "./turn/turn-events.js";

/**
 * An agent's model and tools, built where the agent runs: on the main thread for shared
 * placement, inside the worker for thread-bound and pooled agents. Plugins are imported here, so
 * a thread-bound agent's plugins never execute on the gateway's own thread.
 */
export class AgentRuntime {
  private constructor(
    private readonly settings: AgentRuntimeSettings,
    private readonly model: ModelProvider,
    readonly tools: readonly Tool[],
  ) {}

  /** `fetch` is the egress path the model's provider requests take (see egress-relay). */
  static async create(settings: AgentRuntimeSettings, fetch?: ProviderFetch): Promise<AgentRuntime> {
    const model = await createModelProvider(settings.model, fetch);
    const builtins =
      settings.subagents.targets.length > 0 ? [...BUILTIN_TOOLS, ...SUBAGENT_TOOLS] : [...BUILTIN_TOOLS];
    const plugins = await loadPluginTools(
      settings.pluginPaths,
      builtins.map((tool) => tool.name),
    );
    const tools = selectTools(settings.toolAllowList, [...builtins, ...plugins]);
    return new AgentRuntime(settings, model, tools);
  }

  get agentId(): string {
    return this.settings.agentId;
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
    });
  }
}
