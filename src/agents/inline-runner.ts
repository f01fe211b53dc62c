import type { ModelProvider } from "../models/types.js";
import type { Tool } from "../tools/index.js";
import type { AgentRunner, RunnerTurnInput } from "./agent-runner.js";
import { runAgentTurn } from "./turn/run-turn.js";
import type { TurnOutcome } from "./turn/turn-events.js";

export interface InlineAgentSettings {
  agentId: string;
  model: ModelProvider;
  tools: readonly Tool[];
  systemPrompt?: string;
  maxSteps?: number;
}

/** Runs an agent's turns on the gateway's own event loop: the seed's "shared thread" mode. */
export class InlineAgentRunner implements AgentRunner {
  readonly placement = "main" as const;

  constructor(private readonly settings: InlineAgentSettings) {}

  runTurn(input: RunnerTurnInput): Promise<TurnOutcome> {
    const { agentId, model, tools, systemPrompt, maxSteps } = this.settings;
    return runAgentTurn({
      agentId,
      sessionKey: input.sessionKey,
      model,
      tools,
      messages: input.messages,
      signal: input.signal,
      emit: input.emit,
      ...(systemPrompt ? { systemPrompt } : {}),
      ...(maxSteps ? { maxSteps } : {}),
    });
  }

  async close(): Promise<void> {}
}
