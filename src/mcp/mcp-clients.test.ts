import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import type { McpConfig } from "../config/index.js";
import { McpClients } from "./mcp-clients.js";
import type { ServerPlacement } from "./server-launch.js";

const PLACEMENT: ServerPlacement = {
  root: "/",
  hidden: [],
  network: "none",
  confinement: "unconfined",
  sandboxed: false,
};
const quiet = { info: () => undefined, warn: () => undefined };
const signal = () => AbortSignal.timeout(5000);

/** A real SDK server per start, linked in memory; `servers` keeps each started one. */
function harness(config: McpConfig, options: { failStart?: boolean } = {}) {
  const started: { server: McpServer; transport: InMemoryTransport }[] = [];
  let failStart = options.failStart ?? false;
  const clients = new McpClients({
    config: () => config,
    placementOf: (agentId) => (agentId === "ghost" ? undefined : PLACEMENT),
    launchOf: () => ({ kind: "stdio", command: "unused", args: [], env: {} }),
    open: async () => {
      if (failStart) throw new Error("spawn ENOENT");
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      const server = new McpServer({ name: "unit", version: "1" });
      server.registerTool("add", { inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({
        content: [{ type: "text", text: String(a + b) }],
      }));
      server.registerTool("admin_wipe", { description: "filtered out" }, async () => ({ content: [] }));
      server.registerTool("hang", {}, () => new Promise(() => undefined));
      await server.connect(serverSide);
      started.push({ server, transport: serverSide });
      return { transport: clientSide, stderrTail: () => "", release: async () => undefined };
    },
    logger: quiet,
  });
  return {
    clients,
    started,
    setFailStart(value: boolean) {
      failStart = value;
    },
  };
}

const config = (overrides: Partial<McpConfig["servers"][string]> = {}, ttl?: number): McpConfig => ({
  servers: {
    Calc: {
      command: "calc",
      args: [],
      enabled: true,
      connectionTimeoutMs: 2000,
      requestTimeoutMs: 300,
      toolFilter: { exclude: ["admin_*"] },
      ...overrides,
    } as McpConfig["servers"][string],
  },
  ...(ttl !== undefined ? { sessionIdleTtlMs: ttl } : {}),
});

let open: McpClients | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

describe("McpClients", () => {
  it("lists a server's tools under its prefix, filtered, and calls them", async () => {
    const { clients, started } = harness(config());
    open = clients;
    const tools = await clients.tools("main", signal());
    expect(tools.map((tool) => tool.name)).toEqual(["calc__add", "calc__hang"]);
    expect(started).toHaveLength(1);
    const resolved = await clients.resolve("main", "calc__add", signal());
    expect(resolved).toEqual({ server: "Calc", tool: "add" });
    const result = await clients.call("main", "Calc", "add", { a: 2, b: 3 }, signal());
    expect(result).toMatchObject({ content: [{ type: "text", text: "5" }] });
    await expect(clients.call("main", "Calc", "admin_wipe", {}, signal())).rejects.toMatchObject({
      code: "OC_ERR_FORBIDDEN",
    });
  });

  it("shares one session per agent and server", async () => {
    const { clients, started } = harness(config());
    open = clients;
    await clients.tools("main", signal());
    await clients.tools("main", signal());
    await clients.tools("other", signal());
    expect(started).toHaveLength(2);
  });

  it("keeps the tool list cached until the server says it changed", async () => {
    const { clients, started } = harness(config());
    open = clients;
    await clients.tools("main", signal());
    const server = started[0]?.server as McpServer;
    let listed = 0;
    server.server.setRequestHandler(ListToolsRequestSchema, async () => {
      listed += 1;
      return { tools: [{ name: "late", inputSchema: { type: "object" } }] };
    });
    expect((await clients.tools("main", signal())).map((tool) => tool.name)).toEqual([
      "calc__add",
      "calc__hang",
    ]);
    expect(listed).toBe(0);
    await server.server.sendToolListChanged();
    await expect
      .poll(async () => (await clients.tools("main", signal())).map((tool) => tool.name))
      .toEqual(["calc__late"]);
    expect(listed).toBe(1);
  });

  it("cuts a call that outlasts requestTimeoutMs", async () => {
    const { clients } = harness(config());
    open = clients;
    await expect(clients.call("main", "Calc", "hang", {}, signal())).rejects.toMatchObject({
      code: "OC_ERR_MCP_SERVER",
      message: expect.stringContaining("did not answer within 300 ms"),
    });
  });

  it("starts a server again on the next use after it went away", async () => {
    const { clients, started } = harness(config());
    open = clients;
    await clients.tools("main", signal());
    await started[0]?.transport.close();
    await expect.poll(() => clients.status()[0]?.state).toBe("failed");
    await clients.call("main", "Calc", "add", { a: 1, b: 1 }, signal());
    expect(started).toHaveLength(2);
    expect(clients.status()[0]).toMatchObject({ state: "running", restarts: 1 });
  });

  it("leaves out a server that cannot start, says why, and waits before trying again", async () => {
    const { clients, started, setFailStart } = harness(config(), { failStart: true });
    open = clients;
    expect(await clients.tools("main", signal())).toEqual([]);
    expect(clients.status()[0]).toMatchObject({ state: "failed", error: expect.stringContaining("ENOENT") });
    // First failure: tried again at once; the second starts the back-off.
    expect(await clients.tools("main", signal())).toEqual([]);
    setFailStart(false);
    expect(await clients.tools("main", signal())).toEqual([]);
    expect(started).toHaveLength(0);
  });

  it("stops an idle server after sessionIdleTtlMs, and starts it on the next use", async () => {
    const { clients, started } = harness(config({}, 100));
    open = clients;
    await clients.tools("main", signal());
    await expect.poll(() => clients.status()[0]?.state, { timeout: 2000 }).toBe("stopped");
    await clients.tools("main", signal());
    expect(started).toHaveLength(2);
  });

  it("stops the servers of agents that are gone and of definitions that changed", async () => {
    const current = config();
    const { clients } = harness(current);
    open = clients;
    await clients.tools("main", signal());
    await clients.tools("other", signal());
    clients.retire(["main"]);
    expect(clients.status().map((status) => status.agentId)).toEqual(["main"]);
    const server = current.servers.Calc as { args: string[] };
    server.args = ["--changed"];
    clients.retire(["main"]);
    expect(clients.status()).toEqual([]);
  });

  it("restarts a server given a secret that rotated, on its next use", async () => {
    const current = config({ env: { KEY: { $secret: "api" } } } as never);
    const { clients, started } = harness(current);
    open = clients;
    await clients.tools("main", signal());
    clients.secretRotated("other");
    await clients.tools("main", signal());
    expect(started).toHaveLength(1);
    clients.secretRotated("api");
    await clients.tools("main", signal());
    expect(started).toHaveLength(2);
  });

  it("refuses servers of an agent the gateway does not run", async () => {
    const { clients } = harness(config());
    open = clients;
    expect(await clients.tools("ghost", signal())).toEqual([]);
    expect(clients.status()[0]?.error).toMatch(/agent ghost is not running/);
  });
});
