import { describe, expect, it } from "vitest";
import type { HostAccess } from "./host-access.js";
import { listMcpTools, MCP_SERVICE } from "./mcp-tools.js";
import type { ToolContext } from "./tool.js";

function hostAnswering(
  answer: (operation: string, input: unknown) => unknown,
): HostAccess & { calls: unknown[] } {
  const calls: unknown[] = [];
  return {
    calls,
    call: async (service, operation, input) => {
      calls.push({ service, operation, input });
      return answer(operation, input);
    },
  };
}

const listing = [
  { name: "fs__read", description: "Reads", parameters: { type: "object" }, server: "fs", tool: "read" },
];

describe("MCP proxy tools", () => {
  it("are built from the gateway's listing, opt-in and marked with their server", async () => {
    const host = hostAnswering(() => [...listing, { name: 42 }]);
    const tools = await listMcpTools(host, AbortSignal.timeout(1000));
    expect(tools).toHaveLength(1);
    expect(tools[0]).toMatchObject({
      name: "fs__read",
      optIn: true,
      mcpServer: "fs",
      hostService: MCP_SERVICE,
    });
  });

  it("call the gateway and turn the server's isError into a tool error", async () => {
    let isError = false;
    const host = hostAnswering((operation) =>
      operation === "list" ? listing : { text: isError ? "no such file" : "content", isError, images: [] },
    );
    const [tool] = await listMcpTools(host, AbortSignal.timeout(1000));
    const context = { agentId: "a", sessionKey: "s", signal: AbortSignal.timeout(1000), host } as ToolContext;
    expect(await tool?.execute({ path: "a" }, context)).toBe("content");
    expect(host.calls[1]).toEqual({
      service: MCP_SERVICE,
      operation: "call",
      input: { name: "fs__read", input: { path: "a" } },
    });
    isError = true;
    await expect(tool?.execute({}, context)).rejects.toThrow("no such file");
  });
});
