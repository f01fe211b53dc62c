import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PoolSnapshot } from "../../src/agents/index.js";
import { agentStatus, chat } from "./chat-http.js";
import { REPO_ROOT, useGateway, waitFor } from "./harness.js";

const plugin = (name: string) => join(REPO_ROOT, "examples/plugins", name);

async function poolStatus(url: string): Promise<PoolSnapshot> {
  const response = await fetch(`${url}/__openclaw__/agents`);
  return ((await response.json()) as { pool: PoolSnapshot }).pool;
}

describe("agents.defaults.pool", () => {
  const running = useGateway(
    {
      agents: {
        defaults: {
          pool: { size: 2 },
          // The stall test below sends its turns between "the spinning thread missed its
          // heartbeats" (200 ms) and "the watchdog replaced it": a wide window, with room on
          // both sides for a loaded machine.
          limits: { watchdogMs: 5000 },
        },
        alpha: { plugins: [plugin("faults/slow.mjs"), plugin("faults/env-dump.mjs")] },
        beta: { plugins: [plugin("faults/busy-loop.mjs")] },
        gamma: {},
        solo: { threadBound: true },
      },
    },
    (home) => {
      home.env.OPENCLAW_TEST_CANARY = "canary-must-not-reach-agents";
    },
  );

  it("runs agents that are not thread-bound on the pool's threads", async () => {
    for (const id of ["alpha", "beta", "gamma"]) {
      expect(await agentStatus(running.url, id)).toMatchObject({ placement: "pool", state: "ready" });
    }
    expect(await agentStatus(running.url, "solo")).toMatchObject({ placement: "thread" });
    const pool = await poolStatus(running.url);
    expect(pool.size).toBe(2);
    expect(pool.agents.sort()).toEqual(["alpha", "beta", "gamma"]);
    expect(pool.threads.map((thread) => thread.state)).toEqual(["ready", "ready"]);
    expect(pool.threads.map((thread) => thread.responsive)).toEqual([true, true]);
    const [first, second] = pool.threads.map((thread) => thread.threadId);
    expect(first).toBeGreaterThan(0);
    expect(second).not.toBe(first);

    expect((await chat(running.url, "gamma", "hello pool")).text).toBe("You said: hello pool");
    // Pool threads start with an empty environment too.
    expect((await chat(running.url, "alpha", "/tool env_dump {}")).text).toBe(
      'Tool env_dump returned: {"keys":[]}',
    );
  });

  it("spreads concurrent turns over the threads", async () => {
    // Long turns: both must still be running when a status request sees them.
    const turns = [
      chat(running.url, "alpha", '/tool sleep {"ms":3000}'),
      chat(running.url, "alpha", '/tool sleep {"ms":3000}'),
    ];
    const busy = await waitFor(async () => {
      const pool = await poolStatus(running.url);
      return pool.threads.every((thread) => thread.turnsInFlight === 1) ? pool : undefined;
    }, 5_000);
    expect(busy.threads).toHaveLength(2);
    for (const reply of await Promise.all(turns)) expect(reply.status).toBe(200);
  });

  it("replaces a stalled pool thread while the other thread keeps serving", async () => {
    const before = await poolStatus(running.url);
    const fault = chat(running.url, "beta", "/tool spin_forever {}");
    const stalled = await waitFor(async () => {
      const pool = await poolStatus(running.url);
      return pool.threads.find((thread) => thread.turnsInFlight === 1);
    }, 5_000);

    // Once the spinning thread misses its heartbeats (4 of 50 ms), status shows it unresponsive
    // and the other thread takes every turn, well before the watchdog's 5 s replaces it.
    await waitFor(async () => {
      const pool = await poolStatus(running.url);
      return pool.threads[stalled.slot - 1]?.responsive === false ? pool : undefined;
    }, 4_000);
    const during = await Promise.all(
      ["one", "two", "three"].map((text) => chat(running.url, "gamma", text, 5_000)),
    );
    expect(during.map((reply) => reply.text)).toEqual(["You said: one", "You said: two", "You said: three"]);

    const failed = await fault;
    expect(failed.status).toBe(503);
    expect(JSON.stringify(failed.body)).toMatch(/event loop was blocked/);

    const after = await waitFor(async () => {
      const pool = await poolStatus(running.url);
      return pool.threads.every((thread) => thread.state === "ready") ? pool : undefined;
    }, 20_000);
    const replaced = after.threads[stalled.slot - 1];
    const previous = before.threads[stalled.slot - 1];
    expect(replaced?.restarts).toBe((previous?.restarts ?? 0) + 1);
    expect(replaced?.threadId).not.toBe(stalled.threadId);
    expect(replaced?.lastError).toMatch(/event loop was blocked/);
    expect((await chat(running.url, "beta", "back?")).text).toBe("You said: back?");
  });
});
