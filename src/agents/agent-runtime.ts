import { createModelProvider, type ProviderFetch } from "../models/index.js";
import type { ModelProvider } from "../models/types.js";
import type { AgentRuntimeSettings } from "./agent-settings.js";
import type { AgentToolbox, RuntimeTurnInput } from "./agent-toolbox.js";
import { checkToolAllowList } from "./tool-allow-list.js";
import type { TurnOutcome } from "./turn/turn-events.js";

export type { RuntimeTurnInput } from "./agent-toolbox.js";

type ProcessListener = (pid: number, running: boolean) => void;

/**
 * An agent as it runs (on the gateway's thread, or in its worker): its models, built at start,
 * and its tools (AgentToolbox), built when its first turn needs them. The built-in tools are
 * half the modules and a third of the heap an idle agent thread would hold (exec, files,
 * patches, confinement, child processes: ≈ 40 modules, ≈ 4 MB of RSS per thread), and an idle
 * agent uses none of them. What can fail at start still fails at start: the model specs are
 * built and the allow-list is checked now, and an agent with plugins builds its toolbox now,
 * so that a plugin that does not load degrades the agent instead of its first turn.
 */
export class AgentRuntime {
  private toolbox: Promise<AgentToolbox> | undefined;
  private readonly processListeners: ProcessListener[] = [];

  private constructor(
    private readonly settings: AgentRuntimeSettings,
    private readonly models: { model: ModelProvider; fallbacks: readonly ModelProvider[] },
    private readonly hostServices: readonly string[],
  ) {}

  /**
   * `fetch` is the egress path the model's provider requests take (see egress-relay);
   * `hostServices` names the services the gateway registered: the built-in tools that call one
   * are offered only when it is there.
   */
  static async create(
    settings: AgentRuntimeSettings,
    fetch: ProviderFetch,
    hostServices: readonly string[],
  ): Promise<AgentRuntime> {
    const model = await createModelProvider(settings.model, fetch);
    const fallbacks = await Promise.all(
      settings.fallbackModels.map((spec) => createModelProvider(spec, fetch)),
    );
    const runtime = new AgentRuntime(settings, { model, fallbacks }, hostServices);
    if (settings.pluginPaths.length > 0) await runtime.tools();
    else checkToolAllowList(settings.agentId, settings.toolAllowList, []);
    return runtime;
  }

  get agentId(): string {
    return this.settings.agentId;
  }

  /** The agent's toolbox, built on the first call; a build that failed is tried again next time. */
  tools(): Promise<AgentToolbox> {
    if (this.toolbox) return this.toolbox;
    const attempt = import("./agent-toolbox.js")
      .then(({ AgentToolbox }) => AgentToolbox.create(this.settings, this.models, this.hostServices))
      .then((toolbox) => {
        toolbox.onBackgroundProcess((pid, running) => {
          for (const listener of this.processListeners) listener(pid, running);
        });
        return toolbox;
      });
    this.toolbox = attempt;
    attempt.catch(() => {
      if (this.toolbox === attempt) this.toolbox = undefined;
    });
    return attempt;
  }

  async runTurn(input: RuntimeTurnInput): Promise<TurnOutcome> {
    return (await this.tools()).runTurn(input);
  }

  /** Told each background process's pid as it starts and ends (the worker reports them to its thread). */
  onBackgroundProcess(listener: ProcessListener): void {
    this.processListeners.push(listener);
  }

  /** Kills this agent's background processes: it is stopping or restarting. None ran without a toolbox. */
  async shutdown(): Promise<void> {
    await (await this.toolbox?.catch(() => undefined))?.shutdown();
  }

  /** Kills the background processes of a session that has ended. */
  async endSession(sessionKey: string): Promise<void> {
    await (await this.toolbox?.catch(() => undefined))?.endSession(sessionKey);
  }
}
