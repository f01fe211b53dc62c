import { randomUUID } from "node:crypto";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { McpServeBackend } from "./serve-backend.js";
import { createServeServer } from "./serve-tools.js";

/** How often the bridge re-reads the gateway's agents (a config reload adds or removes some). */
const AGENT_REFRESH_MS = 30_000;

export interface StdioServeOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Diagnostics go here, never to stdout: stdout is the MCP channel. */
  log?: (line: string) => void;
  agentRefreshMs?: number;
}

/**
 * Serves the MCP tools over stdio until the client closes the pipe (or the process is told to
 * stop). Resolves when the session has ended; the agent list is read first, so a gateway that
 * is not running fails the command at once with the CLI's usual error, before any MCP traffic.
 */
export async function serveOverStdio(
  backend: McpServeBackend,
  options: StdioServeOptions = {},
): Promise<void> {
  const log = options.log ?? (() => undefined);
  const serve = createServeServer(backend, { clientId: randomUUID() });
  await serve.syncAgents();
  const input = (options.input ?? process.stdin) as NodeJS.ReadStream;
  const output = (options.output ?? process.stdout) as NodeJS.WriteStream;
  const transport = new StdioServerTransport(input, output);
  const ended = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  // Counted from the first byte: a pipe's buffered input can be read while connect() is still
  // settling, and the protocol calls this handler before its own.
  const inFlight = countRequests(transport);
  // The SDK's stdio transport does not notice the client going away: stdin ending is how it does.
  // Requests read before the end are still answered (`… | openclaw mcp serve` from a script).
  const finish = () =>
    void inFlight
      .idle()
      .then(() => serve.server.close())
      .catch(() => undefined);
  input.once("end", finish);
  input.once("close", finish);
  await serve.server.connect(transport);
  log("openclaw mcp serve: ready on stdio");
  const refresh = setInterval(() => {
    serve
      .syncAgents()
      .catch((error: unknown) =>
        log(`openclaw mcp serve: agent refresh failed: ${(error as Error).message}`),
      );
  }, options.agentRefreshMs ?? AGENT_REFRESH_MS);
  refresh.unref();
  try {
    await ended;
  } finally {
    clearInterval(refresh);
  }
}

/** Counts the requests read and not yet answered, so that the end of input can wait for them. */
function countRequests(transport: StdioServerTransport) {
  let pending = 0;
  let waiters: (() => void)[] = [];
  const settle = () => {
    if (pending > 0) return;
    for (const waiter of waiters) waiter();
    waiters = [];
  };
  transport.onmessage = (message) => {
    if ("method" in message && "id" in message) pending += 1;
  };
  const send = transport.send.bind(transport);
  transport.send = async (message) => {
    await send(message);
    if (("result" in message || "error" in message) && "id" in message) {
      pending = Math.max(0, pending - 1);
      settle();
    }
  };
  return {
    idle: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
        settle();
      }),
  };
}
