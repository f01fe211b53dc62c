import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { serveOverStdio } from "./stdio-serve.js";
import { MemoryServeBackend } from "./testing/memory-backend.js";

const lines = [
  {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "sh", version: "1" } },
  },
  { jsonrpc: "2.0", method: "notifications/initialized" },
  { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "ask_main", arguments: { message: "hi" } } },
];

describe("mcp serve over stdio", () => {
  it("answers every request read before the input ended, then ends (a script's pipe)", async () => {
    const backend = new MemoryServeBackend();
    const release = Promise.withResolvers<void>();
    const ask = backend.ask.bind(backend);
    // The turn is still running when stdin ends.
    backend.ask = async (request) => {
      await release.promise;
      return ask(request);
    };
    const input = new PassThrough();
    const output = new PassThrough();
    let written = "";
    output.on("data", (chunk) => {
      written += chunk;
    });
    // All of it is in the pipe before the bridge reads a byte, as with `printf … | openclaw mcp serve`.
    input.end(`${lines.map((line) => JSON.stringify(line)).join("\n")}\n`);
    const served = serveOverStdio(backend, { input, output });
    await new Promise((resolve) => setTimeout(resolve, 20));
    release.resolve();
    await served;
    const answers = written
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { id: number; result?: { structuredContent?: { reply: string } } });
    expect(answers.map((answer) => answer.id)).toEqual([1, 2]);
    expect(answers[1]?.result?.structuredContent?.reply).toBe("echo: hi");
  });

  it("fails before serving when the agents cannot be read (no gateway)", async () => {
    const backend = new MemoryServeBackend();
    backend.listAgents = async () => {
      throw new Error("the gateway is not running");
    };
    await expect(
      serveOverStdio(backend, { input: new PassThrough(), output: new PassThrough() }),
    ).rejects.toThrow(/not running/);
  });
});
