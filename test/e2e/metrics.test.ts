import { writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ParsedMetrics, parseMetrics } from "../prometheus-text.js";
import { type RunningGateway, startGateway, type TempHome, tempHome, waitFor } from "./harness.js";
import { TestWsClient } from "./ws-client.js";

// Done-when 3: /metrics parses with a Prometheus text parser and its counters move with traffic.

const CHAT_ROUTE = "/v1/chat/completions";

async function scrape(gateway: RunningGateway, headers = gateway.headers): Promise<ParsedMetrics> {
  const response = await fetch(`${gateway.url}/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(await response.text());
}

function chat(gateway: RunningGateway, content: string, headers = gateway.headers) {
  return fetch(`${gateway.url}${CHAT_ROUTE}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ model: "openclaw/main", messages: [{ role: "user", content }] }),
  });
}

describe("GET /metrics in token mode", () => {
  let home: TempHome;
  let gateway: RunningGateway;

  beforeAll(async () => {
    home = await tempHome({ gateway: { auth: { mode: "token" } }, agents: { main: { model: "dev/echo" } } });
    gateway = await startGateway(home);
  });
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  it("refuses a scrape without the token and serves one with it", async () => {
    const refused = await fetch(`${gateway.url}/metrics`);
    expect(refused.status).toBe(401);
    expect(await refused.text()).not.toContain("openclaw_");
    const metrics = await scrape(gateway);
    for (const family of [
      "openclaw_http_requests_total",
      "openclaw_http_request_duration_seconds",
      "openclaw_agent_state",
      "openclaw_agent_restarts_total",
      "openclaw_agent_queue_depth",
      "openclaw_agent_turns_in_flight",
      "openclaw_agent_heap_used_bytes",
      "openclaw_secret_reloads_total",
      "openclaw_websocket_connections",
      "process_cpu_seconds_total",
    ]) {
      expect(metrics.families.has(family), family).toBe(true);
    }
    expect(metrics.value("openclaw_agent_state", { agent: "main", state: "ready" })).toBe(1);
  });

  it("counts requests by route and status, turns, tokens, model calls and tool calls as traffic comes", async () => {
    const before = await scrape(gateway);
    for (const content of ["one", "two"]) expect((await chat(gateway, content)).status).toBe(200);
    expect((await chat(gateway, '/tool echo {"text":"hi"}')).status).toBe(200);
    expect((await fetch(`${gateway.url}/no/such/route/42`, { headers: gateway.headers })).status).toBe(404);
    expect((await chat(gateway, "sneaky", { authorization: "Bearer wrong-token" })).status).toBe(401);
    const reload = await fetch(`${gateway.url}/__openclaw__/secrets/reload`, {
      method: "POST",
      headers: gateway.headers,
    });
    expect(reload.status).toBe(200);

    const after = await scrape(gateway);
    const delta = (name: string, labels: Record<string, string>) =>
      after.value(name, labels) - before.value(name, labels);
    const countDelta = (name: string, labels: Record<string, string>) =>
      after.count(name, labels) - before.count(name, labels);

    const chatOk = { method: "POST", route: CHAT_ROUTE, status: "200" };
    expect(delta("openclaw_http_requests_total", chatOk)).toBe(3);
    expect(countDelta("openclaw_http_request_duration_seconds", chatOk)).toBe(3);
    expect(delta("openclaw_http_requests_total", { route: CHAT_ROUTE, status: "401" })).toBe(1);
    expect(delta("openclaw_http_requests_total", { route: "unmatched", status: "404" })).toBe(1);
    // The raw URL never becomes a label: one series per route pattern.
    const routes = after.labelSets("openclaw_http_requests_total").map((labels) => labels.route);
    expect(routes.some((route) => route?.includes("42"))).toBe(false);

    expect(delta("openclaw_turns_total", { agent: "main", outcome: "ok" })).toBe(3);
    expect(countDelta("openclaw_turn_duration_seconds", { agent: "main" })).toBe(3);
    const model = { agent: "main", model: "dev/echo" };
    // The tool turn calls the model twice: once for the tool call, once for the answer.
    expect(countDelta("openclaw_model_call_duration_seconds", model)).toBe(4);
    expect(delta("openclaw_tokens_total", { ...model, kind: "input" })).toBeGreaterThan(0);
    expect(delta("openclaw_tokens_total", { ...model, kind: "output" })).toBeGreaterThan(0);
    expect(delta("openclaw_tool_calls_total", { agent: "main", tool: "echo", outcome: "ok" })).toBe(1);
    expect(after.value("openclaw_agent_turns_in_flight", { agent: "main" })).toBe(0);
    expect(delta("openclaw_secret_reloads_total", { outcome: "ok" })).toBe(1);
  });

  it("counts open WebSocket connections", async () => {
    const client = await TestWsClient.open(gateway.url);
    try {
      await waitFor(async () => (await scrape(gateway)).value("openclaw_websocket_connections") === 1);
    } finally {
      client.socket.close();
    }
    await waitFor(async () => (await scrape(gateway)).value("openclaw_websocket_connections") === 0);
  });
});

describe("GET /metrics with metrics.public", () => {
  let home: TempHome;
  let gateway: RunningGateway;
  const config = (metrics: Record<string, unknown>) => ({ gateway: { auth: { mode: "token" } }, metrics });

  beforeAll(async () => {
    home = await tempHome(config({ public: true }));
    gateway = await startGateway(home);
  });
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  it("serves a scrape without a token, and nothing else", async () => {
    const metrics = await scrape(gateway, {});
    expect(metrics.families.has("openclaw_turns_total")).toBe(true);
    expect((await fetch(`${gateway.url}/__openclaw__/status`)).status).toBe(401);
    expect((await chat(gateway, "hi", {})).status).toBe(401);
  });

  it("follows a config reload: metrics.enabled false answers 404", async () => {
    await writeFile(home.configPath, JSON.stringify(config({ public: true, enabled: false })));
    await waitFor(async () => (await fetch(`${gateway.url}/metrics`)).status === 404);
    const body = (await (await fetch(`${gateway.url}/metrics`)).json()) as { error: { code: string } };
    expect(body.error.code).toBe("OC_ERR_NOT_FOUND");
  });
});
