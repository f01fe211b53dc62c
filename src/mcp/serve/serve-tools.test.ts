import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { type CallToolResult, ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import { createServeServer } from "./serve-tools.js";
import { MemoryServeBackend } from "./testing/memory-backend.js";

const open: Client[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
});

async function connect(backend: MemoryServeBackend, clientId = "c1") {
  const serve = createServeServer(backend, { clientId });
  await serve.syncAgents();
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "test", version: "1" });
  await Promise.all([serve.server.connect(serverSide), client.connect(clientSide)]);
  open.push(client);
  return { client, serve };
}

const text = (result: unknown) =>
  ((result as CallToolResult).content as { text?: string }[]).map((part) => part.text ?? "").join("\n");

describe("the mcp serve tools", () => {
  it("offer ask_<agent> per agent with its input schema, and the two session tools", async () => {
    const { client } = await connect(
      new MemoryServeBackend([{ id: "main" }, { id: "ops", model: "dev/echo" }]),
    );
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      "ask_main",
      "ask_ops",
      "session_history",
      "sessions_list",
    ]);
    const ask = tools.find((tool) => tool.name === "ask_ops");
    expect(ask?.description).toContain("dev/echo");
    expect(ask?.inputSchema.required).toEqual(["message"]);
    expect(Object.keys(ask?.inputSchema.properties ?? {}).sort()).toEqual(["message", "sessionKey"]);
  });

  it("asks in the connection's own session by default, and in the named one otherwise", async () => {
    const backend = new MemoryServeBackend([{ id: "ops" }]);
    const { client } = await connect(backend, "conn-7");
    const first = await client.callTool({ name: "ask_ops", arguments: { message: "hi" } });
    expect(first.structuredContent).toEqual({
      reply: "echo: hi",
      agentId: "ops",
      sessionKey: "agent:ops:mcp:conn-7",
      runId: "run-1",
    });
    await client.callTool({ name: "ask_ops", arguments: { message: "there", sessionKey: "incident" } });
    expect(backend.asked.map((request) => request.sessionKey)).toEqual([
      "agent:ops:mcp:conn-7",
      "agent:ops:incident",
    ]);
  });

  it("turns a refused key or a failed turn into a tool error with the gateway's code", async () => {
    const backend = new MemoryServeBackend([{ id: "ops" }]);
    const { client } = await connect(backend);
    const foreign = await client.callTool({
      name: "ask_ops",
      arguments: { message: "x", sessionKey: "agent:main:main" },
    });
    expect(foreign.isError).toBe(true);
    expect(text(foreign)).toMatch(/^OC_ERR_BAD_REQUEST: /);
    expect(backend.asked).toEqual([]);
    backend.failWith = new OpenClawError("OC_ERR_AGENT_UNAVAILABLE", "agent ops is degraded", {
      hint: "fix its key",
    });
    const failed = await client.callTool({ name: "ask_ops", arguments: { message: "x" } });
    expect(failed.isError).toBe(true);
    expect(text(failed)).toBe("OC_ERR_AGENT_UNAVAILABLE: agent ops is degraded (fix its key)");
  });

  it("lists sessions (by agent, limited) and reads the latest entries of one", async () => {
    const backend = new MemoryServeBackend([{ id: "ops" }, { id: "main" }]);
    const { client } = await connect(backend);
    for (const message of ["one", "two", "three"]) {
      await client.callTool({ name: "ask_ops", arguments: { message, sessionKey: "s" } });
    }
    await client.callTool({ name: "ask_main", arguments: { message: "elsewhere" } });
    const ops = await client.callTool({ name: "sessions_list", arguments: { agentId: "ops" } });
    expect((ops.structuredContent as { sessions: { key: string }[] }).sessions.map((s) => s.key)).toEqual([
      "agent:ops:s",
    ]);
    const limited = await client.callTool({ name: "sessions_list", arguments: { limit: 1 } });
    expect((limited.structuredContent as { sessions: unknown[] }).sessions).toHaveLength(1);
    const history = await client.callTool({
      name: "session_history",
      arguments: { sessionKey: "agent:ops:s", limit: 2 },
    });
    expect(
      (history.structuredContent as { entries: { content: string }[] }).entries.map((e) => e.content),
    ).toEqual(["three", "echo: three"]);
    const none = await client.callTool({
      name: "session_history",
      arguments: { sessionKey: "agent:ops:nothing" },
    });
    expect(text(none)).toBe("no messages");
    const tooMany = await client.callTool({
      name: "session_history",
      arguments: { sessionKey: "x", limit: 201 },
    });
    expect(tooMany.isError).toBe(true);
  });

  it("follows the agent list: a removed agent's tool goes, a new one comes, and the client is told", async () => {
    const backend = new MemoryServeBackend([{ id: "main" }, { id: "ops" }]);
    const { client, serve } = await connect(backend);
    let told = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      told += 1;
    });
    backend.agents = [{ id: "main" }, { id: "research" }];
    await serve.syncAgents();
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      "ask_main",
      "ask_research",
      "session_history",
      "sessions_list",
    ]);
    expect(told).toBeGreaterThan(0);
    await Promise.all([serve.syncAgents(), serve.syncAgents()]);
    expect((await client.listTools()).tools).toHaveLength(4);
  });
});
