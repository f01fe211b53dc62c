import { describe, expect, it } from "vitest";
import { MemoryLocation } from "../../storage/index.js";
import { threadBindingHarness } from "../testing/thread-binding-harness.js";
import { threadBindingSettings } from "./binding-settings.js";

const HOUR = 60 * 60_000;

describe("thread bindings through the dispatcher", () => {
  it("binds a new thread on a platform that opens them, and routes the thread to the helper only", async () => {
    const h = await threadBindingHarness({ threads: "child" });
    await h.say("spawn read the logs");
    expect(h.account.threads).toEqual([
      expect.objectContaining({ target: { peer: { kind: "direct", id: "42" } }, threadId: "thread-1" }),
    ]);
    expect(h.account.threads[0]?.name).toBe("analyzer: read the logs");
    const [spawned] = h.spawns;
    expect(spawned).toMatchObject({
      status: "bound",
      agentId: "analyzer",
      mode: "session",
      channel: "fake",
      conversation: "direct:42",
      threadId: "thread-1",
      idleHours: 24,
      maxAgeHours: 0,
      childSessionKey: expect.stringMatching(/^agent:analyzer:subagent:[0-9a-f-]{36}$/),
    });
    const child = (spawned as { childSessionKey: string }).childSessionKey;
    // The helper's answer lands in the thread; the lead's reply in the conversation.
    await h.until(() => h.sentTo("42", "thread-1").includes("analyzer did: read the logs"));
    expect(h.sentTo("42")).toEqual([`spawned ${child}`]);
    expect(h.helperRuns).toEqual([{ agentId: "analyzer", sessionKey: child, task: "read the logs" }]);

    await h.say("and the errors?", { threadId: "thread-1" });
    await h.say("how is it going?");
    expect(h.turns.slice(1)).toEqual([
      { agentId: "analyzer", sessionKey: child, text: "and the errors?" },
      { agentId: "lead", sessionKey: "agent:lead:fake:direct:42", text: "how is it going?" },
    ]);
    expect(h.sentTo("42", "thread-1").at(-1)).toBe("analyzer: and the errors?");
  });

  it("binds the conversation itself on a platform without threads, until /session unbind", async () => {
    const h = await threadBindingHarness({ threads: "conversation" });
    await h.say("spawn crunch numbers");
    expect(h.account.threads).toEqual([]);
    const child = (h.spawns[0] as { childSessionKey: string }).childSessionKey;
    expect(h.spawns[0]).not.toHaveProperty("threadId");
    // Told in the conversation that it is bound, and how to undo it.
    expect(h.sentTo("42")[0]).toMatch(/^🔗 analyzer takes over here: crunch numbers\nSend \/session unbind/);
    await h.until(() => h.sentTo("42").includes("analyzer did: crunch numbers"));
    await h.say("more detail");
    expect(h.turns.at(-1)).toEqual({ agentId: "analyzer", sessionKey: child, text: "more detail" });

    await h.say("/session unbind");
    expect(h.sentTo("42").at(-1)).toBe(
      `🔓 Unbound from analyzer (session ${child} is kept); messages go to lead again.`,
    );
    expect(await h.storage.threadBindings.list()).toEqual([]);
    const turnsBefore = h.turns.length;
    await h.say("back to you");
    expect(h.turns.slice(turnsBefore)).toEqual([
      { agentId: "lead", sessionKey: "agent:lead:fake:direct:42", text: "back to you" },
    ]);
  });

  it("moves the binding's activity with every message and keeps it across a restart of the stores", async () => {
    const location = new MemoryLocation();
    const h = await threadBindingHarness({ threads: "conversation", location });
    await h.say("spawn watch");
    h.clock.now += HOUR;
    await h.say("still there?");
    const [binding] = await h.storage.threadBindings.list();
    expect(binding?.lastActivityAt).toBe(h.clock.now);
    await h.service.stop();
    const again = await threadBindingHarness({ threads: "conversation", location });
    again.clock.now = h.clock.now;
    // A new message id: the inbox (kept too) would take m1 again for a redelivery.
    await again.say("after the restart", { messageId: "after-restart" });
    expect(again.turns).toEqual([
      { agentId: "analyzer", sessionKey: binding?.sessionKey, text: "after the restart" },
    ]);
  });

  it("ends an idle binding with a notice in the conversation, and the lead answers again", async () => {
    const h = await threadBindingHarness({ threads: "child", session: { idleHours: 2 } });
    await h.say("spawn tail the logs");
    await h.until(() => h.sentTo("42", "thread-1").length >= 2);
    h.clock.now += 2 * HOUR - 1;
    expect(await h.sweeper.sweepNow()).toBe(0);
    h.clock.now += 1;
    expect(await h.sweeper.sweepNow()).toBe(1);
    expect(h.sentTo("42", "thread-1").at(-1)).toBe(
      "⏱️ This thread is no longer bound to analyzer (idle 2h); messages go to lead again.",
    );
    await h.say("anyone?", { threadId: "thread-1" });
    expect(h.turns.at(-1)).toMatchObject({ agentId: "lead", text: "anyone?" });
  });

  it("ends a binding past its maximum age even while it is busy, and one found expired by a message", async () => {
    const h = await threadBindingHarness({
      threads: "conversation",
      channelConfig: { threadBindings: { maxAgeHours: 1 } },
    });
    await h.say("spawn watch");
    h.clock.now += 30 * 60_000;
    await h.say("busy");
    h.clock.now += 30 * 60_000;
    // No sweep ran: the message itself finds the binding over age, ends it, and goes to the lead.
    await h.say("late");
    expect(h.sentTo("42")).toContain(
      "⏱️ This conversation is no longer bound to analyzer (max age 1h); messages go to lead again.",
    );
    expect(h.turns.at(-1)).toMatchObject({ agentId: "lead", text: "late" });
  });

  it("sweeps on its own with a short idle limit (fractional hours)", async () => {
    const h = await threadBindingHarness({ threads: "conversation", session: { idleHours: 0.0001 } });
    h.clock.now = Date.now();
    // The harness clock stands still; the sweeper's own follows it.
    await h.say("spawn quick");
    h.clock.now += 400;
    h.sweeper.start();
    await h.until(() => h.sentTo("42").some((text) => text.startsWith("⏱️")));
    h.sweeper.stop();
    expect(h.sentTo("42").find((text) => text.startsWith("⏱️"))).toContain("(idle 0.4s)");
  });

  it("unbinds a one-shot run once its answer is posted", async () => {
    const h = await threadBindingHarness({ threads: "conversation" });
    await h.say("spawn-run summarize");
    await h.until(() => h.sentTo("42").some((text) => text.startsWith("✅")));
    const sent = h.sentTo("42");
    expect(sent.indexOf("analyzer did: summarize")).toBeGreaterThan(0);
    expect(sent.indexOf("analyzer did: summarize")).toBeLessThan(
      sent.indexOf("✅ analyzer is done; messages go to lead again."),
    );
    expect(await h.storage.threadBindings.list()).toEqual([]);
    await h.say("next");
    expect(h.turns.at(-1)).toMatchObject({ agentId: "lead", text: "next" });
  });

  it.each([
    ["the platform cannot bind", {}, /fake cannot bind a conversation to a session/],
    ["bindings are off", { threads: "conversation", session: { enabled: false } }, /thread bindings are off/],
    [
      "the account does not spawn into threads",
      {
        threads: "conversation",
        channelConfig: { accounts: { default: { threadBindings: { spawnSessions: false } } } },
      },
      /spawnSessions is false/,
    ],
    [
      "the target is not allowed",
      { threads: "conversation", targets: [] },
      /agent "analyzer" is not a delegation target of lead; allowed: none/,
    ],
  ] as const)("refuses a spawn when %s, with nothing bound", async (_case, options, message) => {
    const h = await threadBindingHarness(options as Parameters<typeof threadBindingHarness>[0]);
    await h.say("spawn anything");
    expect(h.spawns[0]).toBeInstanceOf(Error);
    expect((h.spawns[0] as Error).message).toMatch(message);
    expect(await h.storage.threadBindings.list()).toEqual([]);
    expect(h.helperRuns).toEqual([]);
  });

  it("refuses thread: true for a turn that did not come from a channel", async () => {
    const h = await threadBindingHarness({ threads: "conversation" });
    await expect(
      h.spawner.spawn(
        { agentId: "lead", sessionKey: "agent:lead:ws-session" },
        { agentId: "analyzer", task: "x", mode: "session" },
      ),
    ).rejects.toMatchObject({
      code: "OC_ERR_THREAD_BINDING",
      message: expect.stringMatching(/needs a turn that came from a chat channel/),
    });
  });
});

describe("threadBindingSettings", () => {
  it("layers the session's settings, the channel's, then the account's", () => {
    const channels = {
      telegram: {
        threadBindings: { idleHours: 4 },
        accounts: { ops: { threadBindings: { maxAgeHours: 8 } } },
      },
    };
    expect(
      threadBindingSettings({ idleHours: 12, spawnSessions: false }, channels, "telegram", "ops"),
    ).toEqual({
      enabled: true,
      idleHours: 4,
      maxAgeHours: 8,
      spawnSessions: false,
      defaultSpawnContext: "fork",
    });
    expect(threadBindingSettings(undefined, channels, "telegram", "default")).toMatchObject({
      idleHours: 4,
      maxAgeHours: 0,
    });
    expect(threadBindingSettings(undefined, channels, "irc", "default")).toMatchObject({ idleHours: 24 });
  });
});
