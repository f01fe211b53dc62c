import { describe, expect, it } from "vitest";
import { hookIdempotencyKey, parseHookAgentRequest, parseHookWakeRequest } from "./hook-request.js";

describe("parseHookAgentRequest", () => {
  it("takes OpenClaw's fields with their defaults", () => {
    expect(parseHookAgentRequest({ message: "hi" })).toEqual({
      message: "hi",
      name: "Hook",
      sessionMode: "isolated",
      waitForCompletion: false,
      ignored: [],
    });
    expect(
      parseHookAgentRequest({
        message: "hi",
        name: "CI",
        agentId: "ops",
        sessionKey: "hook:ci",
        sessionMode: "persistent",
        channel: "telegram",
        to: "42",
        accountId: "bot",
        model: "x",
      }),
    ).toMatchObject({
      agentId: "ops",
      sessionKey: "hook:ci",
      sessionMode: "persistent",
      delivery: { channel: "telegram", to: "42", accountId: "bot" },
      ignored: ["model"],
    });
  });

  it("refuses a missing message, a non-object body and wrong types", () => {
    for (const body of [
      {},
      { message: "" },
      { message: 3 },
      [],
      "text",
      null,
      { message: "x", sessionMode: "x" },
    ]) {
      expect(() => parseHookAgentRequest(body), JSON.stringify(body)).toThrow(
        expect.objectContaining({ code: "OC_ERR_BAD_REQUEST" }),
      );
    }
  });

  it("needs channel and to together, refuses channel last, and deliver: false ignores them", () => {
    expect(() => parseHookAgentRequest({ message: "x", channel: "telegram" })).toThrow(/channel and to/);
    expect(() => parseHookAgentRequest({ message: "x", to: "42" })).toThrow(/channel and to/);
    expect(() => parseHookAgentRequest({ message: "x", accountId: "a" })).toThrow(/channel and to/);
    expect(() => parseHookAgentRequest({ message: "x", channel: "last", to: "42" })).toThrow(/last/);
    expect(
      parseHookAgentRequest({ message: "x", deliver: false, channel: "telegram" }).delivery,
    ).toBeUndefined();
  });
});

describe("parseHookWakeRequest", () => {
  it("needs text; mode is now by default; a key only with mode now", () => {
    expect(parseHookWakeRequest({ text: "t" })).toEqual({ text: "t", mode: "now" });
    expect(parseHookWakeRequest({ text: "t", mode: "next-heartbeat", agentId: "a" })).toEqual({
      text: "t",
      mode: "next-heartbeat",
      agentId: "a",
    });
    expect(() => parseHookWakeRequest({})).toThrow(/text/);
    expect(() => parseHookWakeRequest({ text: "t", mode: "later" })).toThrow(/mode/);
    expect(() => parseHookWakeRequest({ text: "t", mode: "next-heartbeat", sessionKey: "k" })).toThrow(/now/);
  });
});

describe("hookIdempotencyKey", () => {
  it("prefers Idempotency-Key, then X-OpenClaw-Idempotency-Key, then the payload", () => {
    expect(
      hookIdempotencyKey(
        { "idempotency-key": " a ", "x-openclaw-idempotency-key": "b" },
        { idempotencyKey: "c" },
      ),
    ).toBe("a");
    expect(hookIdempotencyKey({ "x-openclaw-idempotency-key": "b" }, { idempotencyKey: "c" })).toBe("b");
    expect(hookIdempotencyKey({}, { idempotencyKey: "c" })).toBe("c");
  });

  it("ignores blank and over-long keys", () => {
    expect(hookIdempotencyKey({ "idempotency-key": "  " }, {})).toBeUndefined();
    expect(hookIdempotencyKey({ "idempotency-key": "k".repeat(257) }, { idempotencyKey: "c" })).toBe("c");
    expect(hookIdempotencyKey({}, { idempotencyKey: 5 })).toBeUndefined();
  });
});
