import type { Registry } from "prom-client";
import type { TurnOutcomeKind, TurnRecord } from "../agents/index.js";
import { CounterCells } from "./counter-cells.js";
import { type HistogramCell, HistogramCells } from "./histogram-cells.js";

/** Seconds; the dev model answers in well under a millisecond, real models in seconds to minutes. */
const TURN_BUCKETS = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const MODEL_CALL_BUCKETS = [0.001, 0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

interface AgentSeries {
  duration: HistogramCell;
  outcomes: Map<TurnOutcomeKind, { value: number }>;
}

interface ModelSeries {
  input: { value: number };
  output: { value: number };
  cached: { value: number };
  duration: HistogramCell;
}

/** Turns, tokens, model calls and tool calls, from the chat service's record of each finished turn. */
export class TurnMetrics {
  private readonly turns: CounterCells<"agent" | "outcome">;
  private readonly turnDuration: HistogramCells;
  private readonly tokens: CounterCells<"agent" | "model" | "kind">;
  private readonly modelCallDuration: HistogramCells;
  private readonly toolCalls: CounterCells<"agent" | "tool" | "outcome">;
  private readonly fallbacks: CounterCells<"agent" | "from" | "to">;
  // Every chat request ends a turn: its series are looked up once, then only added to.
  private readonly agents = new Map<string, AgentSeries>();
  private readonly models = new Map<string, ModelSeries>();

  constructor(registry: Registry) {
    this.turns = new CounterCells(registry, {
      name: "openclaw_turns_total",
      help: "Agent turns finished, by agent and outcome (ok, error, aborted, timeout, rejected: the 503s).",
      labelNames: ["agent", "outcome"],
    });
    this.turnDuration = new HistogramCells(registry, {
      name: "openclaw_turn_duration_seconds",
      help: "Agent turn duration, queueing included, by agent.",
      buckets: TURN_BUCKETS,
    });
    this.tokens = new CounterCells(registry, {
      name: "openclaw_tokens_total",
      help: "Tokens as the providers reported them, by agent, model and kind (input, output, cached: the part of input served from the provider's cache).",
      labelNames: ["agent", "model", "kind"],
    });
    this.modelCallDuration = new HistogramCells(registry, {
      name: "openclaw_model_call_duration_seconds",
      help: "Model call latency, from the request to the end of the stream, by agent and model.",
      buckets: MODEL_CALL_BUCKETS,
    });
    this.toolCalls = new CounterCells(registry, {
      name: "openclaw_tool_calls_total",
      help: "Tool calls, by agent, tool and outcome (ok, error).",
      labelNames: ["agent", "tool", "outcome"],
    });
    this.fallbacks = new CounterCells(registry, {
      name: "openclaw_model_fallbacks_total",
      help: "Model calls that failed on one model (from) and were answered by a later one of model.fallbacks (to), by agent.",
      labelNames: ["agent", "from", "to"],
    });
  }

  record(turn: TurnRecord): void {
    const agentId = turn.agentId;
    const agent = this.agentSeries(agentId);
    let outcome = agent.outcomes.get(turn.outcome);
    if (!outcome) {
      outcome = this.turns.cell(`${agentId} ${turn.outcome}`, () => ({
        agent: agentId,
        outcome: turn.outcome,
      }));
      agent.outcomes.set(turn.outcome, outcome);
    }
    outcome.value += 1;
    // A rejected turn never ran: its zero duration would only drag the histogram down.
    if (turn.outcome !== "rejected") agent.duration.observe(turn.durationMs / 1000);
    for (const call of turn.modelCalls) {
      const model = this.modelSeries(agentId, call.model);
      model.duration.observe(call.latencyMs / 1000);
      model.input.value += call.usage.inputTokens;
      model.output.value += call.usage.outputTokens;
      model.cached.value += call.usage.cachedInputTokens ?? 0;
      for (const failed of call.fallbackFrom ?? []) {
        this.fallbacks.cell(`${agentId} ${failed.model} ${call.model}`, () => ({
          agent: agentId,
          from: failed.model,
          to: call.model,
        })).value += 1;
      }
    }
    for (const tool of turn.toolCalls) {
      const result = tool.isError ? "error" : "ok";
      this.toolCalls.cell(`${agentId} ${tool.name} ${result}`, () => ({
        agent: agentId,
        tool: tool.name,
        outcome: result,
      })).value += 1;
    }
  }

  private agentSeries(agent: string): AgentSeries {
    let series = this.agents.get(agent);
    if (!series) {
      series = { duration: this.turnDuration.cell(agent, () => ({ agent })), outcomes: new Map() };
      this.agents.set(agent, series);
    }
    return series;
  }

  private modelSeries(agent: string, model: string): ModelSeries {
    const key = `${agent} ${model}`;
    let series = this.models.get(key);
    if (!series) {
      const tokens = (kind: string) => this.tokens.cell(`${key} ${kind}`, () => ({ agent, model, kind }));
      series = {
        input: tokens("input"),
        output: tokens("output"),
        cached: tokens("cached"),
        duration: this.modelCallDuration.cell(key, () => ({ agent, model })),
      };
      this.models.set(key, series);
    }
    return series;
  }
}
