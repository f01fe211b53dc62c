import { describe, expect, it } from "vitest";
import { OpenClawError } from "../errors.js";
import { MEMORY_SERVICE, MEMORY_TOOLS } from "./memory-tools.js";
import { contextWithHost, recordingHost } from "./testing/recording-host.js";
import { ToolInputError } from "./tool.js";

const [storeTool, searchTool, forgetTool] = MEMORY_TOOLS;

describe("memory tools", () => {
  it("name the memory service, so an agent is offered them only when the gateway has it", () => {
    expect(MEMORY_TOOLS.map((tool) => [tool.name, tool.hostService])).toEqual([
      ["memory_store", MEMORY_SERVICE],
      ["memory_search", MEMORY_SERVICE],
      ["memory_forget", MEMORY_SERVICE],
    ]);
  });

  it("ask the memory service for one operation each, with the checked input", async () => {
    const { host, calls } = recordingHost();
    const context = contextWithHost(host);
    await storeTool!.execute({ text: "the sky is blue", tags: ["fact"] }, context);
    await searchTool!.execute({ query: "sky", limit: 3 }, context);
    await forgetTool!.execute({ id: "m1" }, context);
    expect(calls).toEqual([
      { service: "memory", operation: "store", input: { text: "the sky is blue", tags: ["fact"] } },
      { service: "memory", operation: "search", input: { query: "sky", limit: 3 } },
      { service: "memory", operation: "forget", input: { id: "m1" } },
    ]);
  });

  it("refuse bad input before calling the gateway", async () => {
    const { host, calls } = recordingHost();
    const context = contextWithHost(host);
    await expect(storeTool!.execute({ text: " " }, context)).rejects.toBeInstanceOf(ToolInputError);
    await expect(searchTool!.execute({ query: "x", limit: 51 }, context)).rejects.toThrow(/1 to 50/);
    await expect(storeTool!.execute({ text: "x", tags: [1] }, context)).rejects.toThrow(/tags/);
    expect(calls).toEqual([]);
  });

  it("pass the service's typed error on, and say so when there is no host", async () => {
    const refusal = new OpenClawError("OC_ERR_MEMORY", "memory is off (memory.enabled is false)");
    const { host } = recordingHost(() => Promise.reject(refusal));
    await expect(storeTool!.execute({ text: "x" }, contextWithHost(host))).rejects.toBe(refusal);
    await expect(storeTool!.execute({ text: "x" }, contextWithHost())).rejects.toThrow(
      /cannot reach the gateway's services/,
    );
  });
});
