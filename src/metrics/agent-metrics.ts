import { Counter, Gauge, type Registry } from "prom-client";
import type { AgentSnapshot, AgentState } from "../agents/index.js";
import { MonotonicTotals } from "./monotonic-totals.js";

const AGENT_STATES: readonly AgentState[] = ["starting", "ready", "restarting", "degraded", "stopped"];

type AgentGauge = "turnsInFlight" | "queueDepth" | "heapUsedBytes" | "heapLimitBytes";

const AGENT_GAUGES: { field: AgentGauge; name: string; help: string }[] = [
  {
    field: "turnsInFlight",
    name: "openclaw_agent_turns_in_flight",
    help: "Turns each agent is running now.",
  },
  {
    field: "queueDepth",
    name: "openclaw_agent_queue_depth",
    help: "Turns waiting for a slot of each agent; agents.<id>.limits.maxQueue refuses beyond.",
  },
  {
    field: "heapUsedBytes",
    name: "openclaw_agent_heap_used_bytes",
    help: "V8 heap used by each agent's thread: its own worker when thread-bound, else the shared pool's or the main thread's.",
  },
  {
    field: "heapLimitBytes",
    name: "openclaw_agent_heap_limit_bytes",
    help: "V8 heap limit of each agent's worker (agents.<id>.limits.maxHeapMb).",
  },
];

/**
 * What the supervisor's snapshots say about each agent, set at scrape time: nothing is paid per
 * request. Gauges are rebuilt from the current agents, so a removed agent's series go away; its
 * restart count stays, as a counter's must.
 */
export class AgentMetrics {
  private readonly restartTotals = new MonotonicTotals();
  private readonly restarts: Counter<"agent">;
  private readonly state: Gauge<"agent" | "state">;
  private readonly gauges: { field: AgentGauge; gauge: Gauge<"agent"> }[];

  constructor(registry: Registry) {
    this.restarts = new Counter({
      name: "openclaw_agent_restarts_total",
      help: "Agent restarts, after a crash or by an operator, by agent.",
      labelNames: ["agent"],
      registers: [registry],
    });
    this.state = new Gauge({
      name: "openclaw_agent_state",
      help: "1 for the state each agent is in (starting, ready, restarting, degraded, stopped), 0 for the others.",
      labelNames: ["agent", "state"],
      registers: [registry],
    });
    this.gauges = AGENT_GAUGES.map(({ field, name, help }) => ({
      field,
      gauge: new Gauge({ name, help, labelNames: ["agent"], registers: [registry] }),
    }));
  }

  update(agents: readonly AgentSnapshot[]): void {
    for (const agent of agents) this.restartTotals.observe(agent.id, agent.restarts);
    this.restarts.reset();
    for (const [agent, total] of this.restartTotals.totals()) this.restarts.inc({ agent }, total);

    this.state.reset();
    for (const { gauge } of this.gauges) gauge.reset();
    for (const agent of agents) {
      for (const state of AGENT_STATES) {
        this.state.set({ agent: agent.id, state }, agent.state === state ? 1 : 0);
      }
      for (const { field, gauge } of this.gauges) {
        const value = agent[field];
        if (value !== undefined) gauge.set({ agent: agent.id }, value);
      }
    }
  }
}
