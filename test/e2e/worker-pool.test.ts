import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PoolSnapshot } from "../../src/agents/index.js";
import { agentStatus, chat } from "./chat-http.js";
import { REPO_ROOT, type RunningGateway, startGateway, type TempHome, tempHome, waitFor } from "./harness.js";

const plugin = (name: string) => join(REPO_ROOT, "examples/plugins", name);

async function poolStatus(url: string): Promise<PoolSnapshot> {
  const response = await fetch(`${url}/__openclaw__/agents`);
  return ((await response.json()) as { pool: PoolSnapshot }).pool;
}

describe("agents.defaults.pool", () => {
  let home: TempHome;
  let gateway: RunningGateway;

  beforeAll(async () => {
    home = await tempHome({
      agents: {
        defaults: {
          pool: { size: 2 },
          limits: { watchdogMs: 1000 },
        },
        alpha: { plugins: [plugin("faults/slow.mjs"), plugin("faults/env-dump.mjs")] },
        beta: { plugins: [plugin("faults/busy-loop.mjs")] },
        gamma: {},
        solo: { threadBound: true },
      },
    });
    home.env.OPENCLAW_TEST_CANARY = "canary-must-not-reach-agents";
    gateway = await startGateway(home);
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  it("runs agents that are not thread-bound on the pool's threads", async () => {
    for (const id of ["alpha", "beta", "gamma"]) {
      expect(await agentStatus(gateway.url, id)).toMatchObject({ placement: "pool", state: "ready" });
    }
    expect(await agentStatus(gateway.url, "solo")).toMatchObject({ placement: "thread" });
    const pool = await poolStatus(gateway.url);
    expect(pool.size).toBe(2);
    expect(pool.agents.sort()).toEqual(["alpha", "beta", "gamma"]);
    expect(pool.threads.map((thread) => thread.state)).toEqual(["ready", "ready"]);
    const [first, second] = pool.threads.map((thread) => thread.threadId);
    expect(first).toBeGreaterThan(0);
    expect(second).not.toBe(first);

    expect((await chat(gateway.url, "gamma", "hello pool")).text).toBe("You said: hello pool");
    // Pool threads start with an empty environment too.
    expect((await chat(gateway.url, "alpha", "/tool env_dump {}")).text).toBe(
      'Tool env_dump returned: {"keys":[]}',
    );
  });

  it("spreads concurrent turns over the threads", async () => {
    const turns = [
      chat(gateway.url, "alpha", '/tool sleep {"ms":800}'),
      chat(gateway.url, "alpha", '/tool sleep {"ms":800}'),
    ];
    const busy = await waitFor(async () => {
      const pool = await poolStatus(gateway.url);
      return pool.threads.every((thread) => thread.turnsInFlight === 1) ? pool : undefined;
    }, 5_000);
    expect(busy.threads).toHaveLength(2);
    for (const reply of await Promise.all(turns)) expect(reply.status).toBe(200);
  });

  it("replaces a stalled pool thread while the other thread keeps serving", async () => {
    const before = await poolStatus(gateway.url);
    const fault = chat(gateway.url, "beta", "/tool spin_forever {}");
    const stalled = await waitFor(async () => {
      const pool = await poolStatus(gateway.url);
      return pool.threads.find((thread) => thread.turnsInFlight === 1);
    }, 5_000);

    // Once the spinning thread misses its heartbeats, the other thread takes every turn.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const during = await Promise.all(
      ["one", "two", "three"].map((text) => chat(gateway.url, "gamma", text, 5_000)),
    );
    expect(during.map((reply) => reply.text)).toEqual(["You said: one", "You said: two", "You said: three"]);

    const failed = await fault;
    expect(failed.status).toBe(503);
    expect(JSON.stringify(failed.body)).toMatch(/event loop was blocked/);

    const after = await waitFor(async () => {
      const pool = await poolStatus(gateway.url);
      return pool.threads.every((thread) => thread.state === "ready") ? pool : undefined;
    }, 20_000);
    const replaced = after.threads[stalled.slot - 1];
    const previous = before.threads[stalled.slot - 1];
    expect(replaced?.restarts).toBe((previous?.restarts ?? 0) + 1);
    expect(replaced?.threadId).not.toBe(stalled.threadId);
    expect(replaced?.lastError).toMatch(/event loop was blocked/);
    expect((await chat(gateway.url, "beta", "back?")).text).toBe("You said: back?");
  });
});
