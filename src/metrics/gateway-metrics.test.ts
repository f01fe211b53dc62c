import { describe, expect, it } from "vitest";
import { parseMetrics } from "../../test/prometheus-text.js";
import type { AgentSnapshot, TurnObserver, TurnRecord } from "../agents/index.js";
import type { AgentMemoryStatus } from "../memory/index.js";
import { GatewayMetrics } from "./gateway-metrics.js";

function agent(id: string, fields: Partial<AgentSnapshot> = {}): AgentSnapshot {
  return {
    id,
    name: undefined,
    runtime: "agent",
    threadBound: true,
    placement: "thread",
    threadId: 1,
    state: "ready",
    reason: undefined,
    model: "dev/echo",
    usesDevModel: true,
    heapUsedBytes: 1000,
    heapLimitBytes: 5000,
    eventLoopUtilization: 0,
    cpuDemoted: false,
    turnsInFlight: 0,
    queueDepth: 0,
    turnsCompleted: 0,
    turnsFailed: 0,
    restarts: 0,
    recentRestarts: 0,
    turnsRejected: 0,
    recentTurns: 0,
    recentRejected: 0,
    lastError: undefined,
    limits: {} as AgentSnapshot["limits"],
    ...fields,
  };
}

function turn(fields: Partial<TurnRecord> = {}): TurnRecord {
  return {
    runId: "run-1",
    agentId: "main",
    sessionKey: "agent:main:main",
    outcome: "ok",
    startedAt: Date.now(),
    durationMs: 12,
    modelCalls: [
      {
        step: 0,
        model: "anthropic/claude-x",
        usage: { inputTokens: 10, outputTokens: 4, cachedInputTokens: 6 },
        finishReason: "stop",
        latencyMs: 250,
      },
    ],
    toolCalls: [
      { name: "exec", durationMs: 3, isError: false },
      { name: "exec", durationMs: 3, isError: true },
    ],
    depth: 0,
    ...fields,
  };
}

function fixture() {
  const state = {
    agents: [agent("main")],
    memory: undefined as AgentMemoryStatus[] | undefined,
    connections: 0,
  };
  let observer: TurnObserver = () => undefined;
  let rotate: (name: string) => void = () => undefined;
  const metrics = new GatewayMetrics({
    version: "9.9.9",
    agents: () => state.agents,
    memory: () => state.memory,
    webSocketConnections: () => state.connections,
    onTurnEnd: (listener) => {
      observer = listener;
      return () => undefined;
    },
    onSecretRotate: (listener) => {
      rotate = listener;
      return () => undefined;
    },
  });
  return {
    state,
    metrics,
    endTurn: (record: TurnRecord) => observer(record),
    rotate: (name: string) => rotate(name),
    scrape: async () => parseMetrics(await metrics.render()),
  };
}

describe("GatewayMetrics", () => {
  it("renders text a Prometheus parser reads whole, default process metrics included", async () => {
    const { scrape, metrics } = fixture();
    const parsed = await scrape();
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(parsed.families.get("openclaw_http_requests_total")?.type).toBe("COUNTER");
    expect(parsed.families.get("openclaw_http_request_duration_seconds")?.type).toBe("HISTOGRAM");
    expect(parsed.families.has("process_cpu_seconds_total")).toBe(true);
    expect(parsed.families.has("nodejs_heap_size_used_bytes")).toBe(true);
    expect(parsed.value("openclaw_build_info", { version: "9.9.9" })).toBe(1);
  });

  it("counts HTTP requests by route pattern, with unmatched URLs under one label", async () => {
    const { metrics, scrape } = fixture();
    metrics.http.record("GET", "/__openclaw__/agents/:id", 200, 2);
    metrics.http.record("GET", "/__openclaw__/agents/:id", 200, 3);
    metrics.http.record("GET", undefined, 404, 1);
    metrics.http.record("GET", undefined, 404, 1);
    const parsed = await scrape();
    expect(
      parsed.value("openclaw_http_requests_total", { route: "/__openclaw__/agents/:id", status: "200" }),
    ).toBe(2);
    expect(parsed.value("openclaw_http_requests_total", { route: "unmatched", status: "404" })).toBe(2);
    expect(parsed.count("openclaw_http_request_duration_seconds", { method: "GET" })).toBe(4);
    expect(parsed.labelSets("openclaw_http_requests_total")).toHaveLength(2);
  });

  it("counts the model calls a fallback answered, by the model that failed and the one that answered", async () => {
    const { endTurn, scrape } = fixture();
    const answered = {
      step: 1,
      model: "local/small",
      usage: { inputTokens: 1, outputTokens: 1 },
      finishReason: "stop" as const,
      latencyMs: 5,
      fallbackFrom: [{ model: "anthropic/claude-x", code: "OC_ERR_MODEL_PROVIDER", providerStatus: 503 }],
    };
    endTurn(turn({ modelCalls: [answered] }));
    endTurn(turn({ modelCalls: [answered] }));
    endTurn(turn());
    const parsed = await scrape();
    expect(
      parsed.value("openclaw_model_fallbacks_total", {
        agent: "main",
        from: "anthropic/claude-x",
        to: "local/small",
      }),
    ).toBe(2);
    expect(parsed.labelSets("openclaw_model_fallbacks_total")).toHaveLength(1);
  });

  it("keeps counting across scrapes (a scrape hands the counts over, it does not take them)", async () => {
    const { metrics, endTurn, scrape } = fixture();
    metrics.http.record("POST", "/v1/chat/completions", 200, 2);
    endTurn(turn());
    await scrape();
    metrics.http.record("POST", "/v1/chat/completions", 200, 2);
    endTurn(turn());
    const parsed = await scrape();
    expect(parsed.value("openclaw_http_requests_total", { route: "/v1/chat/completions" })).toBe(2);
    expect(parsed.value("openclaw_turns_total", { outcome: "ok" })).toBe(2);
    expect(parsed.value("openclaw_tokens_total", { kind: "input" })).toBe(20);
  });

  it("counts turns, tokens by kind, model latency and tool calls from turn records", async () => {
    const { endTurn, scrape } = fixture();
    endTurn(turn());
    endTurn(turn({ outcome: "rejected", durationMs: 0, modelCalls: [], toolCalls: [] }));
    const parsed = await scrape();
    expect(parsed.value("openclaw_turns_total", { agent: "main", outcome: "ok" })).toBe(1);
    expect(parsed.value("openclaw_turns_total", { agent: "main", outcome: "rejected" })).toBe(1);
    expect(parsed.count("openclaw_turn_duration_seconds", { agent: "main" })).toBe(1);
    const model = { agent: "main", model: "anthropic/claude-x" };
    expect(parsed.value("openclaw_tokens_total", { ...model, kind: "input" })).toBe(10);
    expect(parsed.value("openclaw_tokens_total", { ...model, kind: "output" })).toBe(4);
    expect(parsed.value("openclaw_tokens_total", { ...model, kind: "cached" })).toBe(6);
    expect(parsed.count("openclaw_model_call_duration_seconds", model)).toBe(1);
    expect(parsed.value("openclaw_tool_calls_total", { tool: "exec", outcome: "ok" })).toBe(1);
    expect(parsed.value("openclaw_tool_calls_total", { tool: "exec", outcome: "error" })).toBe(1);
  });

  it("reads agent gauges at scrape time and drops a removed agent's", async () => {
    const { state, scrape } = fixture();
    state.agents = [
      agent("main", { queueDepth: 3, turnsInFlight: 2, heapUsedBytes: 4096 }),
      agent("side", { state: "degraded", heapUsedBytes: undefined }),
    ];
    let parsed = await scrape();
    expect(parsed.value("openclaw_agent_queue_depth", { agent: "main" })).toBe(3);
    expect(parsed.value("openclaw_agent_turns_in_flight", { agent: "main" })).toBe(2);
    expect(parsed.value("openclaw_agent_heap_used_bytes", { agent: "main" })).toBe(4096);
    expect(parsed.labelSets("openclaw_agent_heap_used_bytes")).toEqual([{ agent: "main" }]);
    expect(parsed.value("openclaw_agent_state", { agent: "side", state: "degraded" })).toBe(1);
    expect(parsed.value("openclaw_agent_state", { agent: "side", state: "ready" })).toBe(0);
    state.agents = [agent("main")];
    parsed = await scrape();
    expect(parsed.labelSets("openclaw_agent_state").some((labels) => labels.agent === "side")).toBe(false);
  });

  it("keeps agent restarts monotonic when a reload replaces the agent (its count restarts at 0)", async () => {
    const { state, scrape } = fixture();
    state.agents = [agent("main", { restarts: 3 })];
    expect((await scrape()).value("openclaw_agent_restarts_total", { agent: "main" })).toBe(3);
    state.agents = [agent("main", { restarts: 0 })];
    expect((await scrape()).value("openclaw_agent_restarts_total", { agent: "main" })).toBe(3);
    state.agents = [agent("main", { restarts: 1 })];
    expect((await scrape()).value("openclaw_agent_restarts_total", { agent: "main" })).toBe(4);
    state.agents = [];
    expect((await scrape()).value("openclaw_agent_restarts_total", { agent: "main" })).toBe(4);
  });

  it("reports memory outbox depth and sync lag, and secret reloads and rotations", async () => {
    const { state, metrics, rotate, scrape } = fixture();
    state.memory = [
      {
        agentId: "main",
        items: 7,
        outboxDepth: 5,
        syncLagMs: 1500,
        syncState: "failing",
        lastError: "connection refused",
        search: "keyword",
      },
    ];
    state.connections = 2;
    metrics.recordSecretReload({ changed: ["key"], unchanged: [], failed: [] });
    metrics.recordSecretReload({ changed: [], unchanged: [], failed: ["other"] });
    rotate("key");
    const parsed = await scrape();
    expect(parsed.value("openclaw_memory_outbox_depth", { agent: "main" })).toBe(5);
    expect(parsed.value("openclaw_memory_sync_lag_seconds", { agent: "main" })).toBe(1.5);
    expect(parsed.value("openclaw_memory_items", { agent: "main" })).toBe(7);
    expect(parsed.value("openclaw_secret_reloads_total", { outcome: "ok" })).toBe(1);
    expect(parsed.value("openclaw_secret_reloads_total", { outcome: "failed" })).toBe(1);
    expect(parsed.value("openclaw_secret_rotations_total", { secret: "key" })).toBe(1);
    expect(parsed.value("openclaw_websocket_connections")).toBe(2);
  });

  it("is checked by a parser that refuses what Prometheus would", () => {
    expect(() => parseMetrics('# HELP x_total x\n# TYPE x_total counter\nx_total{a="b" 1\n')).toThrow();
    expect(() => parseMetrics("# HELP x_total x\n# TYPE x_total counter\ny_total 1\n")).toThrow(/TYPE/);
    const brokenHistogram = [
      "# HELP h_seconds h",
      "# TYPE h_seconds histogram",
      'h_seconds_bucket{le="1",a="b"} 2',
      'h_seconds_bucket{le="+Inf",a="b"} 1',
      'h_seconds_sum{a="b"} 1',
      'h_seconds_count{a="b"} 1',
    ].join("\n");
    expect(() => parseMetrics(brokenHistogram)).toThrow(/cumulative/);
  });

  it("keeps each gateway's counts apart (no shared global registry)", async () => {
    const first = fixture();
    const second = fixture();
    first.metrics.http.record("GET", "/health", 200, 1);
    expect((await first.scrape()).value("openclaw_http_requests_total")).toBe(1);
    expect((await second.scrape()).value("openclaw_http_requests_total")).toBe(0);
  });
});
