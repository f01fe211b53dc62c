import { describe, expect, it } from "vitest";
import type { McpClients } from "./mcp-clients.js";
import { mcpService } from "./mcp-service.js";

const signal = AbortSignal.timeout(5000);
const descriptor = (name: string, server: string) => ({
  name,
  description: "",
  parameters: {},
  server,
  tool: name,
});

function fakeClients(calls: unknown[]): McpClients {
  return {
    tools: async (
      _agent: string,
      _signal: AbortSignal,
      wanted: (server: { name: string; prefix: string }) => boolean,
    ) =>
      [descriptor("fs__read", "fs"), descriptor("mail__send", "mail")].filter((tool) =>
        wanted({ name: tool.server, prefix: tool.server }),
      ),
    resolve: async (_agent: string, name: string) => ({
      server: name.split("__")[0],
      tool: name.split("__")[1],
    }),
    call: async (...args: unknown[]) => {
      calls.push(args);
      return { content: [{ type: "text", text: "done" }], isError: false };
    },
  } as unknown as McpClients;
}

describe("the mcp host service", () => {
  const calls: unknown[] = [];
  const service = mcpService({
    clients: fakeClients(calls),
    allowed: (_agent, tool) => tool.server === "fs",
    wanted: () => true,
  });

  it("lists only the tools the agent's policy allows", async () => {
    const listed = (await service({ agentId: "a", operation: "list", input: {}, signal })) as {
      name: string;
    }[];
    expect(listed.map((tool) => tool.name)).toEqual(["fs__read"]);
  });

  it("refuses a call the policy does not allow, whatever the thread asks", async () => {
    await expect(
      service({ agentId: "a", operation: "call", input: { name: "mail__send", input: {} }, signal }),
    ).rejects.toMatchObject({ code: "OC_ERR_FORBIDDEN" });
    expect(calls).toHaveLength(0);
    expect(
      await service({
        agentId: "a",
        operation: "call",
        input: { name: "fs__read", input: { path: "x" } },
        signal,
      }),
    ).toEqual({
      text: "done",
      isError: false,
      images: [],
    });
    expect(calls).toHaveLength(1);
  });

  it("refuses unknown operations and a call without a name", async () => {
    await expect(service({ agentId: "a", operation: "drop", input: {}, signal })).rejects.toMatchObject({
      code: "OC_ERR_BAD_REQUEST",
    });
    await expect(service({ agentId: "a", operation: "call", input: {}, signal })).rejects.toMatchObject({
      code: "OC_ERR_BAD_REQUEST",
    });
  });
});
