import { afterEach, describe, expect, it } from "vitest";
import { McpHttpSessions } from "./http-sessions.js";
import { MemoryServeBackend } from "./testing/memory-backend.js";

const URL = "http://127.0.0.1/mcp";
const ACCEPT = { "content-type": "application/json", accept: "application/json, text/event-stream" };
const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
};

function post(body: unknown, sessionId?: string) {
  return {
    request: new Request(URL, {
      method: "POST",
      headers: { ...ACCEPT, ...(sessionId ? { "mcp-session-id": sessionId } : {}) },
    }),
    body,
  };
}

const created: McpHttpSessions[] = [];
afterEach(async () => {
  await Promise.all(created.splice(0).map((sessions) => sessions.close()));
});

function sessionsWith(options: { maxSessions?: number; idleTimeoutMs?: number; now?: () => number } = {}) {
  const sessions = new McpHttpSessions({ backend: new MemoryServeBackend(), ...options });
  created.push(sessions);
  return sessions;
}

async function initialize(sessions: McpHttpSessions): Promise<string> {
  const { request, body } = post(INITIALIZE);
  const exchange = await sessions.handle(request, body);
  expect(exchange.response.status).toBe(200);
  await exchange.response.text();
  exchange.release();
  const id = exchange.response.headers.get("mcp-session-id");
  if (!id) throw new Error("no session id");
  return id;
}

async function toolsList(sessions: McpHttpSessions, sessionId: string) {
  const { request, body } = post({ jsonrpc: "2.0", id: 2, method: "tools/list" }, sessionId);
  const exchange = await sessions.handle(request, body);
  const text = await exchange.response.text();
  exchange.release();
  return { status: exchange.response.status, text };
}

describe("MCP's streamable HTTP sessions in the gateway", () => {
  it("opens a session on initialize and serves its later requests by Mcp-Session-Id", async () => {
    const sessions = sessionsWith();
    const id = await initialize(sessions);
    expect(sessions.size).toBe(1);
    const listed = await toolsList(sessions, id);
    expect(listed.status).toBe(200);
    expect(listed.text).toContain("ask_main");
  });

  it("answers 400 without a session id (not an initialize) and 404 for an unknown one", async () => {
    const sessions = sessionsWith();
    const missing = post({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    expect((await sessions.handle(missing.request, missing.body)).response.status).toBe(400);
    expect((await toolsList(sessions, "not-a-session")).status).toBe(404);
    expect(sessions.size).toBe(0);
  });

  it("refuses a session over the bound, 429, until one is closed", async () => {
    const sessions = sessionsWith({ maxSessions: 2 });
    const first = await initialize(sessions);
    await initialize(sessions);
    const { request, body } = post(INITIALIZE);
    const refused = await sessions.handle(request, body);
    expect(refused.response.status).toBe(429);
    expect(await refused.response.json()).toMatchObject({ error: { data: { code: "OC_ERR_RATE_LIMITED" } } });
    const closed = await sessions.handle(
      new Request(URL, { method: "DELETE", headers: { "mcp-session-id": first } }),
    );
    expect(closed.response.status).toBe(200);
    expect(sessions.size).toBe(1);
    await initialize(sessions);
    expect(sessions.size).toBe(2);
  });

  it("expires a session idle past the timeout, never one with a request still open", async () => {
    let now = 1_000_000;
    const sessions = sessionsWith({ idleTimeoutMs: 60_000, now: () => now });
    const idle = await initialize(sessions);
    const busy = await initialize(sessions);
    // A stream held open (an SSE GET): released only when the client hangs up.
    const stream = await sessions.handle(
      new Request(URL, { method: "GET", headers: { accept: "text/event-stream", "mcp-session-id": busy } }),
    );
    expect(stream.response.status).toBe(200);
    now += 59_000;
    expect(await sessions.sweep()).toBe(0);
    now += 2000;
    expect(await sessions.sweep()).toBe(1);
    expect((await toolsList(sessions, idle)).status).toBe(404);
    expect((await toolsList(sessions, busy)).status).toBe(200);
    await stream.response.body?.cancel();
    stream.release();
    now += 61_000;
    expect(await sessions.sweep()).toBe(1);
    expect(sessions.size).toBe(0);
  });

  it("answers a session only to the user who opened it (a trusted proxy's users)", async () => {
    const sessions = sessionsWith();
    const { request, body } = post(INITIALIZE);
    const opened = await sessions.handle(request, body, "alice@example.com");
    await opened.response.text();
    opened.release();
    const id = opened.response.headers.get("mcp-session-id") ?? "";
    const asBob = post({ jsonrpc: "2.0", id: 2, method: "tools/list" }, id);
    expect((await sessions.handle(asBob.request, asBob.body, "bob@example.com")).response.status).toBe(404);
    const asAlice = post({ jsonrpc: "2.0", id: 2, method: "tools/list" }, id);
    const answer = await sessions.handle(asAlice.request, asAlice.body, "alice@example.com");
    expect(answer.response.status).toBe(200);
    await answer.response.text();
    answer.release();
  });

  it("refuses everything once closed (the gateway stopping)", async () => {
    const sessions = sessionsWith();
    const id = await initialize(sessions);
    await sessions.close();
    expect((await toolsList(sessions, id)).status).toBe(503);
  });
});
