import { describe, expect, it } from "vitest";
import { agentIdFromModel, parseOpenAiChatRequest } from "./openai-request.js";

describe("parseOpenAiChatRequest", () => {
  it("accepts the common shapes: string content, text parts, developer role, stream options", () => {
    const parsed = parseOpenAiChatRequest({
      model: "openclaw/main",
      stream: true,
      stream_options: { include_usage: true },
      user: "alice",
      messages: [
        { role: "developer", content: "be brief" },
        {
          role: "user",
          content: [
            { type: "text", text: "a" },
            { type: "text", text: "b" },
          ],
        },
      ],
    });
    expect(parsed).toEqual({
      model: "openclaw/main",
      stream: true,
      includeUsage: true,
      user: "alice",
      clientTools: { tools: [], required: false },
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "ab" },
      ],
    });
  });

  it.each([
    [null, /JSON object/],
    [{ messages: [{ role: "user", content: "x" }] }, /model is required/],
    [{ model: "m", messages: "hi" }, /non-empty array/],
    [{ model: "m", messages: [{ role: "assistant", content: "x" }] }, /at least one user message/],
    [{ model: "m", messages: [{ role: "user", content: 42 }] }, /string or an array/],
    [
      { model: "m", messages: [{ role: "user", content: "x" }], tools: [{ type: "function" }] },
      /each tool must be/,
    ],
    [
      {
        model: "m",
        messages: [{ role: "user", content: "x" }],
        tools: [{ type: "function", function: { name: "f" } }],
        tool_choice: { type: "function", function: { name: "g" } },
      },
      /not among the tools/,
    ],
    [
      {
        model: "m",
        messages: [
          { role: "user", content: "x" },
          { role: "tool", content: "r" },
        ],
      },
      /tool_call_id/,
    ],
  ])("refuses %j", (body, message) => {
    expect(() => parseOpenAiChatRequest(body)).toThrow(message);
  });

  it("names the offending field in details.param", () => {
    try {
      parseOpenAiChatRequest({
        model: "m",
        messages: [
          { role: "user", content: "x" },
          { role: "robot", content: "y" },
        ],
      });
      expect.unreachable();
    } catch (error) {
      expect((error as { details: { param: string } }).details.param).toBe("messages[1].role");
    }
  });
});

describe("agentIdFromModel", () => {
  it("maps openclaw/<id>, openclaw:<id>, bare ids and the default", () => {
    expect(agentIdFromModel("openclaw/research", "main")).toBe("research");
    expect(agentIdFromModel("openclaw:research", "main")).toBe("research");
    expect(agentIdFromModel("research", "main")).toBe("research");
    expect(agentIdFromModel("openclaw", "main")).toBe("main");
    expect(agentIdFromModel("openclaw/default", "main")).toBe("main");
    expect(agentIdFromModel("agent:research", "main")).toBe("research");
  });
});
