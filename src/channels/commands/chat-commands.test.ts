import { describe, expect, it } from "vitest";
import { threadBindingHarness } from "../testing/thread-binding-harness.js";
import { parseChatCommand } from "./parse-chat-command.js";

const HOUR = 60 * 60_000;

describe("parseChatCommand", () => {
  it("reads a command, its @bot suffix and its words; ordinary text is none", () => {
    expect(parseChatCommand("/session idle 2")).toEqual({ name: "session", args: ["idle", "2"] });
    expect(parseChatCommand("  /Agents@claw_bot  ")).toEqual({ name: "agents", args: [] });
    expect(parseChatCommand("hello /session")).toBeUndefined();
    expect(parseChatCommand("/ not a command")).toBeUndefined();
    expect(parseChatCommand("/123")).toBeUndefined();
  });
});

describe("chat commands through the dispatcher", () => {
  it("shows and sets the idle limit and the maximum age of the conversation's binding", async () => {
    const h = await threadBindingHarness({ threads: "conversation" });
    await h.say("spawn watch");
    const turns = h.turns.length;
    await h.say("/session idle");
    expect(h.sentTo("42").at(-1)).toBe("Idle limit: 24h; the binding to analyzer expires in 24h (idle 24h).");
    await h.say("/session idle 2");
    expect(h.sentTo("42").at(-1)).toBe("⏱️ Idle limit of the binding to analyzer set to 2h.");
    await h.say("/session max-age 1.5");
    await h.say("/session max-age");
    expect(h.sentTo("42").at(-1)).toBe(
      "Maximum age: 1.5h; the binding to analyzer expires in 1.5h (max age 1.5h).",
    );
    await h.say("/session idle off");
    await h.say("/session max-age off");
    await h.say("/session idle");
    expect(h.sentTo("42").at(-1)).toBe("Idle limit: off; the binding to analyzer never expires.");
    await h.say("/session idle soon");
    expect(h.sentTo("42").at(-1)).toMatch(/^"soon" is not a number of hours/);
    // None of it was a model turn, and the limits are stored.
    expect(h.turns.length).toBe(turns);
    expect((await h.storage.threadBindings.list())[0]).toMatchObject({ idleHours: 0, maxAgeHours: 0 });
    h.clock.now += 1000 * HOUR;
    expect(await h.sweeper.sweepNow()).toBe(0);
  });

  it("says so when the conversation has no binding", async () => {
    const h = await threadBindingHarness({ threads: "conversation" });
    await h.say("/session unbind");
    await h.say("/session idle 3");
    expect(h.sentTo("42")).toEqual([
      "This conversation is not bound to a helper session.",
      "This conversation is not bound to a helper session.",
    ]);
    expect(h.turns).toEqual([]);
  });

  it("lists bindings and helper runs with /agents", async () => {
    const h = await threadBindingHarness({ threads: "child" });
    await h.say("/agents");
    expect(h.sentTo("42").at(-1)).toBe("This conversation: unbound\nBindings: none\nRuns: none");
    await h.say("spawn scan");
    const child = (h.spawns[0] as { childSessionKey: string }).childSessionKey;
    await h.say("/agents", { threadId: "thread-1" });
    expect(h.sentTo("42", "thread-1").at(-1)).toBe(
      `This conversation: binding:analyzer\nBindings:\n- fake direct:42 thread thread-1 → analyzer (${child}, session, ends in 24h)\nRuns: none`,
    );
    const none = await threadBindingHarness({});
    await none.say("/agents");
    expect(none.sentTo("42").at(-1)).toMatch(/^This conversation: bindings unavailable/);
  });

  it("answers an unknown command with the known ones, without a model turn", async () => {
    const h = await threadBindingHarness({ threads: "conversation" });
    await h.say("/frobnicate now");
    expect(h.sentTo("42")).toEqual([
      [
        "Unknown command /frobnicate. Commands:",
        "/session unbind — stop routing this conversation to its helper session",
        "/session idle [hours|off] — show or set how long the binding lasts without messages",
        "/session max-age [hours|off] — show or set the binding's maximum age",
        "/agents — list thread bindings and helper runs",
        "/help — this list",
        "/tool <name> <json> — goes to the agent (the offline dev model calls that tool)",
      ].join("\n"),
    ]);
    expect(h.turns).toEqual([]);
  });

  it("lets the dev model's /tool form through to the agent", async () => {
    const h = await threadBindingHarness({ threads: "conversation" });
    await h.say('/tool echo {"text":"hi"}');
    expect(h.turns).toEqual([
      { agentId: "lead", sessionKey: "agent:lead:fake:direct:42", text: '/tool echo {"text":"hi"}' },
    ]);
  });

  it("answers nothing to a sender the access decision does not let in", async () => {
    const h = await threadBindingHarness({ threads: "conversation" });
    await h.say("spawn watch");
    const sent = h.account.sent.length;
    await h.say("/agents", { senderId: "99" });
    await h.say("/session unbind", { senderId: "99", peer: { kind: "direct", id: "42" } });
    await h.say("/session unbind", { senderId: "99", peer: { kind: "group", id: "g1" }, mentioned: true });
    expect(h.account.sent.length).toBe(sent);
    // The stranger could not unbind the allowed sender's conversation.
    expect(await h.storage.threadBindings.list()).toHaveLength(1);
  });
});
