import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

/**
 * A remote MCP server for the tests: the SDK's own McpServer over streamable HTTP on loopback,
 * refusing requests without the expected Authorization header. `unlock` adds a tool while the
 * session runs, so the server itself sends `notifications/tools/list_changed`.
 */
export async function startRemoteMcpServer(authorization: string) {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const seenAuthorization: (string | undefined)[] = [];
  const build = () => {
    const mcp = new McpServer({ name: "e2e-remote", version: "1.0.0" });
    mcp.registerTool(
      "greet",
      { description: "Greets someone", inputSchema: { name: z.string() } },
      async ({ name }) => ({ content: [{ type: "text", text: `hello ${name} from remote` }] }),
    );
    mcp.registerTool("unlock", { description: "Adds the secret_door tool" }, async () => {
      if (!unlocked) {
        unlocked = true;
        mcp.registerTool("secret_door", { description: "Appears after unlock" }, async () => ({
          content: [{ type: "text", text: "the door opens" }],
        }));
      }
      return { content: [{ type: "text", text: "unlocked" }] };
    });
    let unlocked = false;
    return mcp;
  };
  const server: Server = createServer((request, response) => {
    seenAuthorization.push(request.headers.authorization);
    if (request.headers.authorization !== authorization) {
      response.writeHead(401).end("unauthorized");
      return;
    }
    const sessionId = request.headers["mcp-session-id"];
    const existing = typeof sessionId === "string" ? sessions.get(sessionId) : undefined;
    if (existing) {
      void existing.handleRequest(request, response);
      return;
    }
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, transport);
      },
    });
    void build()
      .connect(transport)
      .then(() => transport.handleRequest(request, response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seenAuthorization,
    async close() {
      for (const transport of sessions.values()) await transport.close().catch(() => undefined);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A stdio MCP server that can exit mid-call (`exit_now`) and says which process answers
 * (`instance`), written as a file the confined server runs: it imports the SDK by absolute path.
 */
export function crashyServerSource(repoRoot: string): string {
  const sdk = (path: string) =>
    JSON.stringify(`${repoRoot}/node_modules/@modelcontextprotocol/sdk/dist/esm/${path}`);
  return `
import { randomUUID } from "node:crypto";
import { McpServer } from ${sdk("server/mcp.js")};
import { StdioServerTransport } from ${sdk("server/stdio.js")};
const instance = randomUUID();
const mcp = new McpServer({ name: "crashy", version: "1.0.0" });
mcp.registerTool("instance", { description: "Which process answers" }, async () => ({
  content: [{ type: "text", text: "instance " + instance },
    { type: "image", data: "iVBORw0KGgo=", mimeType: "image/png" }],
}));
mcp.registerTool("exit_now", { description: "Exits in the middle of the call" }, async () => {
  setTimeout(() => process.exit(3), 50);
  await new Promise(() => {});
});
mcp.registerTool("refuse", { description: "Answers with isError" }, async () => ({
  content: [{ type: "text", text: "refused on purpose" }], isError: true,
}));
await mcp.connect(new StdioServerTransport());
`;
}

/** A remote MCP server over the older SSE transport (GET /sse, POST /messages), the SDK's own. */
export async function startSseMcpServer() {
  const { SSEServerTransport } = await import("@modelcontextprotocol/sdk/server/sse.js");
  const sessions = new Map<string, InstanceType<typeof SSEServerTransport>>();
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (request.method === "GET" && url.pathname === "/sse") {
      const transport = new SSEServerTransport("/messages", response);
      sessions.set(transport.sessionId, transport);
      const mcp = new McpServer({ name: "e2e-sse", version: "1.0.0" });
      mcp.registerTool("ping", { description: "Answers pong" }, async () => ({
        content: [{ type: "text", text: "pong over sse" }],
      }));
      void mcp.connect(transport);
      return;
    }
    const transport = sessions.get(url.searchParams.get("sessionId") ?? "");
    if (request.method === "POST" && url.pathname === "/messages" && transport) {
      void transport.handlePostMessage(request, response);
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sse`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
