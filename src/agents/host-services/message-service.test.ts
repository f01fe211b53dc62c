import { describe, expect, it } from "vitest";
import { messageService } from "./message-service.js";

const call = (agentId: string, input: unknown, operation = "send") => ({
  agentId,
  sessionKey: `agent:${agentId}:main`,
  signal: new AbortController().signal,
  operation,
  input,
});

describe("messageService", () => {
  const sent: unknown[] = [];
  const handler = messageService({
    allowed: (agentId) => agentId === "notifier",
    send: async (request) => {
      sent.push(request);
      return { messageIds: ["1"] };
    },
  });

  it("sends for an agent whose tools name message", async () => {
    await expect(
      handler(
        call("notifier", { channel: "telegram", target: "42", text: "hi", threadId: "7", extra: "ignored" }),
      ),
    ).resolves.toEqual({ messageIds: ["1"] });
    expect(sent).toEqual([{ channel: "telegram", target: "42", text: "hi", threadId: "7" }]);
  });

  it("refuses any other agent, whatever its thread offers itself", () => {
    expect(() => handler(call("main", { channel: "telegram", target: "42", text: "hi" }))).toThrow(
      expect.objectContaining({ code: "OC_ERR_FORBIDDEN" }),
    );
  });

  it("refuses incomplete input and unknown operations", () => {
    expect(() => handler(call("notifier", { channel: "telegram", text: "hi" }))).toThrow(
      expect.objectContaining({ code: "OC_ERR_BAD_REQUEST" }),
    );
    expect(() => handler(call("notifier", "not an object"))).toThrow(
      expect.objectContaining({ code: "OC_ERR_BAD_REQUEST" }),
    );
    expect(() => handler(call("notifier", {}, "delete"))).toThrow(
      expect.objectContaining({ code: "OC_ERR_BAD_REQUEST" }),
    );
  });
});
