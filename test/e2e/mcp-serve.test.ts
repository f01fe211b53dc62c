import { writeFile } from "node:fs/promises";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { ToolListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, describe, expect, it } from "vitest";
import { CLI_MAIN, REPO_ROOT, runCli, tempHome, useGateway, waitFor } from "./harness.js";

const TOKEN = "Mcp-serve-T0ken-0123456789abcdef";
const CONFIG = {
  externalSecrets: { "gateway-token": { source: "env", key: "OPENCLAW_TEST_MCP_TOKEN" } },
  gateway: { auth: { mode: "token", token: { $secret: "gateway-token" } } },
  agents: { helper: { model: "dev/echo" }, analyst: { model: "dev/echo" } } as Record<string, unknown>,
};
const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "0" } },
};
const MCP_HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };

interface Structured {
  reply: string;
  agentId: string;
  sessionKey: string;
  runId: string;
}

function structured<T>(result: unknown): T {
  return (result as CallToolResult).structuredContent as T;
}

function textOf(result: unknown): string {
  return ((result as CallToolResult).content as { type: string; text?: string }[])
    .map((part) => part.text ?? "")
    .join("\n");
}

/** The SDK's own client, run through each transport against a real gateway process. */
describe("openclaw mcp serve", () => {
  const running = useGateway(CONFIG, (home) => {
    home.env.OPENCLAW_TEST_MCP_TOKEN = TOKEN;
  });
  const clients: Client[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  });

  async function httpClient(headers: Record<string, string>): Promise<Client> {
    const client = new Client({ name: "e2e-http", version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${running.url}/mcp`), {
      requestInit: { headers },
    });
    await client.connect(transport);
    clients.push(client);
    return client;
  }

  describe("over streamable HTTP at /mcp", () => {
    it("refuses a client without the gateway token (401), and one with a wrong token", async () => {
      const bare = await fetch(`${running.url}/mcp`, {
        method: "POST",
        headers: MCP_HEADERS,
        body: JSON.stringify(INITIALIZE),
      });
      expect(bare.status).toBe(401);
      expect(bare.headers.get("mcp-session-id")).toBeNull();
      const wrong = new Client({ name: "e2e-wrong", version: "1.0.0" });
      const failure = await wrong
        .connect(
          new StreamableHTTPClientTransport(new URL(`${running.url}/mcp`), {
            requestInit: { headers: { authorization: "Bearer not-the-token" } },
          }),
        )
        .catch((error: unknown) => error);
      expect((failure as { code?: number }).code).toBe(401);
      expect(String(failure)).toMatch(/OC_ERR_UNAUTHORIZED/);
    });

    it("lists ask_<agent> for every agent, asks one, and reads the session back", async () => {
      const client = await httpClient({ authorization: `Bearer ${TOKEN}` });
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual([
        "ask_analyst",
        "ask_helper",
        "session_history",
        "sessions_list",
      ]);
      const first = await client.callTool({ name: "ask_helper", arguments: { message: "ping over http" } });
      expect(first.isError).toBeFalsy();
      const answer = structured<Structured>(first);
      expect(answer.reply).toBe("You said: ping over http");
      expect(textOf(first)).toContain("You said: ping over http");
      // Without a key, the connection has its own session with the agent, and keeps it.
      expect(answer.sessionKey).toMatch(/^agent:helper:mcp:[0-9a-f-]{36}$/);
      const second = await client.callTool({ name: "ask_helper", arguments: { message: "and again" } });
      expect(structured<Structured>(second).sessionKey).toBe(answer.sessionKey);

      const list = await client.callTool({ name: "sessions_list", arguments: { agentId: "helper" } });
      const sessions = structured<{ sessions: { key: string; messageCount: number }[] }>(list).sessions;
      expect(sessions.find((session) => session.key === answer.sessionKey)?.messageCount).toBe(4);

      const history = await client.callTool({
        name: "session_history",
        arguments: { sessionKey: answer.sessionKey, limit: 3 },
      });
      const entries = structured<{ entries: { role: string; content: string }[] }>(history).entries;
      expect(entries.map((entry) => [entry.role, entry.content])).toEqual([
        ["assistant", "You said: ping over http"],
        ["user", "and again"],
        ["assistant", "You said: and again"],
      ]);
    });

    it("answers a key of another agent or a reserved namespace with a tool error, running no turn", async () => {
      const client = await httpClient({ authorization: `Bearer ${TOKEN}` });
      const foreign = await client.callTool({
        name: "ask_helper",
        arguments: { message: "x", sessionKey: "agent:analyst:main" },
      });
      expect(foreign.isError).toBe(true);
      expect(textOf(foreign)).toMatch(/OC_ERR_BAD_REQUEST: .*belongs to agent "analyst"/);
      const reserved = await client.callTool({
        name: "ask_helper",
        arguments: { message: "x", sessionKey: "cron:nightly" },
      });
      expect(reserved.isError).toBe(true);
      expect(textOf(reserved)).toMatch(/reserved namespace "cron:"/);
      const sessions = await fetch(`${running.url}/__openclaw__/sessions`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const keys = ((await sessions.json()) as { sessions: { key: string }[] }).sessions.map((s) => s.key);
      expect(keys).not.toContain("agent:analyst:main");
      expect(keys.some((key) => key.includes("cron:"))).toBe(false);
    });

    it("answers an unknown Mcp-Session-Id 404 and a request without one 400 (the spec's answers)", async () => {
      const headers = { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}` };
      const unknown = await fetch(`${running.url}/mcp`, {
        method: "POST",
        headers: { ...headers, "mcp-session-id": "00000000-0000-0000-0000-000000000000" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
      });
      expect(unknown.status).toBe(404);
      const missing = await fetch(`${running.url}/mcp`, {
        method: "POST",
        headers,
        body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
      });
      expect(missing.status).toBe(400);
    });

    it("keeps the number of sessions bounded; a closed one frees its place", async () => {
      const headers = { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}` };
      const auth = { authorization: `Bearer ${TOKEN}` };
      const opened: string[] = [];
      let refused: Response | undefined;
      for (let attempt = 0; attempt < 40 && !refused; attempt++) {
        const response = await fetch(`${running.url}/mcp`, {
          method: "POST",
          headers,
          body: JSON.stringify(INITIALIZE),
        });
        if (response.status === 429) refused = response;
        else {
          expect(response.status).toBe(200);
          opened.push(response.headers.get("mcp-session-id") ?? "");
          await response.body?.cancel();
        }
      }
      expect(refused?.status).toBe(429);
      expect(((await refused?.json()) as { error: { data: { code: string } } }).error.data.code).toBe(
        "OC_ERR_RATE_LIMITED",
      );
      const closed = await fetch(`${running.url}/mcp`, {
        method: "DELETE",
        headers: { ...auth, "mcp-session-id": opened[0] ?? "" },
      });
      expect(closed.status).toBe(200);
      const again = await fetch(`${running.url}/mcp`, {
        method: "POST",
        headers,
        body: JSON.stringify(INITIALIZE),
      });
      expect(again.status).toBe(200);
      await again.body?.cancel();
      for (const id of [...opened.slice(1), again.headers.get("mcp-session-id") ?? ""]) {
        await fetch(`${running.url}/mcp`, { method: "DELETE", headers: { ...auth, "mcp-session-id": id } });
      }
    });
  });

  describe("after a config reload", () => {
    it("offers an agent added to the config in a live session, telling the client", async () => {
      const client = await httpClient({ authorization: `Bearer ${TOKEN}` });
      let told = 0;
      client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
        told += 1;
      });
      await writeFile(
        running.home.configPath,
        JSON.stringify({ ...CONFIG, agents: { ...CONFIG.agents, scribe: { model: "dev/echo" } } }),
      );
      await waitFor(
        async () => (await client.listTools()).tools.some((tool) => tool.name === "ask_scribe"),
        15_000,
      );
      const answer = await client.callTool({ name: "ask_scribe", arguments: { message: "new here" } });
      expect(structured<Structured>(answer).reply).toBe("You said: new here");
      await waitFor(() => told > 0, 5000);
    }, 30_000);
  });

  describe("over stdio (the process an MCP client spawns)", () => {
    it("asks an agent through the running gateway and reads the session back", async () => {
      const env = Object.fromEntries(
        Object.entries(running.home.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
      );
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [CLI_MAIN, "mcp", "serve"],
        env,
        cwd: REPO_ROOT,
        stderr: "pipe",
      });
      const client = new Client({ name: "e2e-stdio", version: "1.0.0" });
      await client.connect(transport);
      clients.push(client);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(
        expect.arrayContaining(["ask_helper", "ask_analyst", "sessions_list", "session_history"]),
      );
      const result = await client.callTool({
        name: "ask_analyst",
        arguments: { message: "ping over stdio", sessionKey: "mcp-e2e" },
      });
      expect(result.isError).toBeFalsy();
      expect(structured<Structured>(result)).toMatchObject({
        reply: "You said: ping over stdio",
        agentId: "analyst",
        sessionKey: "agent:analyst:mcp-e2e",
      });
      const list = await client.callTool({ name: "sessions_list", arguments: {} });
      expect(textOf(list)).toContain("agent:analyst:mcp-e2e");
      const history = await client.callTool({
        name: "session_history",
        arguments: { sessionKey: "agent:analyst:mcp-e2e" },
      });
      expect(
        structured<{ entries: { role: string; content: string }[] }>(history).entries.map((entry) => [
          entry.role,
          entry.content,
        ]),
      ).toEqual([
        ["user", "ping over stdio"],
        ["assistant", "You said: ping over stdio"],
      ]);
      // The turn ran in the gateway: its transcript is the gateway's, as `openclaw sessions show` reads it.
      const shown = await runCli(["sessions", "show", "agent:analyst:mcp-e2e", "--json"], running.home.env);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain("You said: ping over stdio");
      await client.close();
    }, 30_000);

    it("reaches another gateway with --url and --token-file (OpenClaw's flags), and not with a wrong token", async () => {
      const elsewhere = await tempHome();
      try {
        const tokenFile = `${elsewhere.dir}/gateway.token`;
        await writeFile(tokenFile, `${TOKEN}\n`);
        const env = Object.fromEntries(
          Object.entries(elsewhere.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
        );
        const wsUrl = running.url.replace(/^http/, "ws");
        const client = new Client({ name: "e2e-remote", version: "1.0.0" });
        await client.connect(
          new StdioClientTransport({
            command: process.execPath,
            args: [CLI_MAIN, "mcp", "serve", "--url", wsUrl, "--token-file", tokenFile],
            env,
            cwd: REPO_ROOT,
            stderr: "pipe",
          }),
        );
        clients.push(client);
        const result = await client.callTool({ name: "ask_helper", arguments: { message: "from afar" } });
        expect(structured<Structured>(result).reply).toBe("You said: from afar");
        await client.close();
        const refused = await runCli(
          ["mcp", "serve", "--url", wsUrl, "--token", "not-the-token"],
          elsewhere.env,
        );
        expect(refused.code).toBe(1);
        expect(refused.stdout).toBe("");
        expect(refused.stderr).toMatch(/invalid token/);
      } finally {
        await elsewhere.cleanup();
      }
    }, 30_000);

    it("fails at once, with the CLI's hint, when no gateway runs for the state dir", async () => {
      const home = await tempHome({ agents: { helper: { model: "dev/echo" } } });
      try {
        const result = await runCli(["mcp", "serve"], home.env, 15_000);
        expect(result.code).toBe(1);
        expect(result.stdout).toBe("");
        expect(result.stderr).toMatch(/gateway is not running/);
      } finally {
        await home.cleanup();
      }
    });
  });
});
