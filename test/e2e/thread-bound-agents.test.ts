import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { agentStatus, chat, startProbe } from "./chat-http.js";
import { REPO_ROOT, runCli, useGateway, waitFor } from "./harness.js";
import { TestWsClient } from "./ws-client.js";

const plugin = (name: string) => join(REPO_ROOT, "examples/plugins", name);

/** Waits until the agent has restarted at least `restarts` times and serves again. */
async function waitRestarted(url: string, agentId: string, restarts: number) {
  return waitFor(async () => {
    const agent = await agentStatus(url, agentId);
    return agent.restarts >= restarts && agent.state === "ready" ? agent : undefined;
  }, 20_000);
}

/** Waits until the probe has `count` more replies than it had when called. */
async function probeAnswered(probe: ReturnType<typeof startProbe>, count: number) {
  const target = probe.replies.length + count;
  await waitFor(() => probe.replies.length >= target, 20_000);
}

function expectAllAnswered(replies: Awaited<ReturnType<ReturnType<typeof startProbe>["stop"]>>) {
  expect(replies.length).toBeGreaterThanOrEqual(6);
  const failures = replies.filter(
    (reply) => reply.status !== 200 || !reply.text?.startsWith("You said: ping"),
  );
  expect(failures).toEqual([]);
}

describe("thread-bound agents", () => {
  const running = useGateway(
    {
      agents: {
        defaults: {
          threadBound: true,
          // Well above what a loaded 2-core machine can delay a healthy thread's heartbeat by,
          // so that only the spinning agent is ever caught.
          limits: { watchdogMs: 2500, maxHeapMb: 64 },
          restart: { backoffMs: 50, maxCrashes: 10 },
        },
        steady: {},
        looper: { plugins: [plugin("faults/busy-loop.mjs")] },
        hog: { plugins: [plugin("faults/heap-hog.mjs")] },
        thrower: { plugins: [plugin("faults/timer-throw.mjs")] },
        envcheck: { plugins: [plugin("faults/env-dump.mjs")] },
        slowpoke: { plugins: [plugin("faults/slow.mjs")], limits: { maxConcurrent: 1, maxQueue: 0 } },
        shared: { threadBound: false },
      },
    },
    (home) => {
      home.env.OPENCLAW_TEST_CANARY = "canary-must-not-reach-agents";
    },
  );

  it("runs each thread-bound agent in a worker thread of its own", async () => {
    const steady = await agentStatus(running.url, "steady");
    const looper = await agentStatus(running.url, "looper");
    const shared = await agentStatus(running.url, "shared");
    expect(steady).toMatchObject({ placement: "thread", state: "ready", heapLimitMb: expect.any(Number) });
    expect(steady.threadId).toBeGreaterThan(0);
    expect(looper.threadId).not.toBe(steady.threadId);
    expect(shared.placement).toBe("main");
    expect(shared.threadId).toBeUndefined();
  });

  it("gives a worker an empty process.env", async () => {
    const reply = await chat(running.url, "envcheck", "/tool env_dump {}");
    expect(reply.text).toBe('Tool env_dump returned: {"keys":[]}');
  });

  it.each([
    ["looper", "/tool spin_forever {}", /event loop was blocked/],
    ["hog", "/tool allocate_forever {}", /ran out of memory/],
    ["thrower", "/tool throw_later {}", /plugin timer exploded/],
  ])(
    "restarts %s after its fault while a sibling answers every request",
    async (agentId, command, reason) => {
      const before = await agentStatus(running.url, agentId);
      const probe = startProbe(running.url, "steady");
      await probeAnswered(probe, 3);
      const fault = await chat(running.url, agentId, command);
      const restarted = await waitRestarted(running.url, agentId, before.restarts + 1);
      await probeAnswered(probe, 3);
      expectAllAnswered(await probe.stop());
      expect(restarted.lastError).toMatch(reason);
      if (agentId !== "thrower") {
        // The turn that ran on the dying thread fails with the reason, retryable.
        expect(fault.status).toBe(503);
        expect(JSON.stringify(fault.body)).toMatch(reason);
      }
      expect(restarted.threadId).not.toBe(before.threadId);
      const after = await chat(running.url, agentId, "are you back?");
      expect(after.text).toBe("You said: are you back?");
    },
  );

  it("answers 503 with Retry-After when an agent's queue is full, over HTTP and WebSocket", async () => {
    // Long enough that the refusals below, however slow the machine, all come while it runs.
    const first = chat(running.url, "slowpoke", '/tool sleep {"ms":3000}');
    await waitFor(async () => (await agentStatus(running.url, "slowpoke")).turnsInFlight === 1);
    const refused = await chat(running.url, "slowpoke", "me too");
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toMatch(/^\d+$/);
    expect(refused.body).toMatchObject({
      error: { code: "agent_busy", message: expect.stringContaining("busy") },
    });

    const { client } = await TestWsClient.connect(running.url);
    const response = await client.request("chat.send", {
      sessionKey: "agent:slowpoke:ws",
      message: "me too",
      idempotencyKey: "full-queue-1",
    });
    client.close();
    expect(response.ok).toBe(false);
    expect(response.error).toMatchObject({ code: "UNAVAILABLE", retryable: true });

    // The refused requests did not cut the running turn short: it slept its full time (a timer
    // may fire a ms early, and on a loaded machine well late).
    const slept = /^Tool sleep returned: \{"sleptMs":(\d+)\}$/.exec((await first).text ?? "");
    expect(Number(slept?.[1])).toBeGreaterThanOrEqual(2990);
  });

  it("kills exactly one agent's thread and restarts it", async () => {
    const threads = () => readdirSync(`/proc/${running.gateway.process.pid}/task`).length;
    const before = await agentStatus(running.url, "looper");
    const steady = await agentStatus(running.url, "steady");
    const threadsBefore = threads();

    const killed = await runCli(["agents", "kill", "looper"], running.home.env);
    expect(killed.stdout).toContain("agent looper: stopped");
    await waitFor(() => threads() === threadsBefore - 1);
    expect((await agentStatus(running.url, "steady")).threadId).toBe(steady.threadId);
    expect((await chat(running.url, "steady", "still here")).text).toBe("You said: still here");
    const refused = await chat(running.url, "looper", "hello?");
    expect(refused.status).toBe(503);

    const listed = await runCli(["agents", "list"], running.home.env);
    expect(listed.stdout).toMatch(/looper\s+thread -\s+stopped/);

    const restarted = await runCli(["agents", "restart", "looper"], running.home.env);
    expect(restarted.code).toBe(0);
    expect(restarted.stdout).toContain("agent looper: ready");
    await waitFor(() => threads() === threadsBefore);
    const after = await agentStatus(running.url, "looper");
    expect(after.threadId).not.toBe(before.threadId);
    expect((await chat(running.url, "looper", "back")).text).toBe("You said: back");
  });

  it("shows placement, heap, event-loop use, queue and restarts in status", async () => {
    const response = await fetch(`${running.url}/__openclaw__/status`);
    const status = (await response.json()) as { agents: Record<string, unknown>[] };
    const steady = status.agents.find((agent) => agent.id === "steady");
    expect(steady).toMatchObject({
      placement: "thread",
      threadId: expect.any(Number),
      state: "ready",
      heapUsedMb: expect.any(Number),
      heapLimitMb: expect.any(Number),
      turnsInFlight: 0,
      queueDepth: 0,
      restarts: 0,
    });
    expect(steady?.eventLoopUtilization).toBeGreaterThanOrEqual(0);
  });
});
