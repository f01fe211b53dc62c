import { describe, expect, it } from "vitest";
import type { ChatTurnOptions, ChatTurnResult } from "../agents/index.js";
import { createLogger } from "../logging/index.js";
import type { ReplicaInfo } from "../storage/index.js";
import { createMemoryStorage, MemoryLocation } from "../storage/memory/index.js";
import { OwnerUnreachable, SessionOwnership } from "./session-ownership.js";

const logger = createLogger({ level: "silent" });
const TTL = 2000;

function result(runId: string, text: string): ChatTurnResult {
  return {
    runId,
    outcome: {
      text,
      messages: [],
      usage: { inputTokens: 0, outputTokens: 0 },
      finishReason: "stop",
      steps: 1,
    },
  };
}

function turn(sessionKey = "agent:main:chat-1"): ChatTurnOptions {
  return { agentId: "main", sessionKey, input: { kind: "message", text: "hi" }, runId: "run-1" };
}

/** Two replicas on one simulated shared storage, with a clock the test moves. */
function cluster(forward: (from: string, owner: ReplicaInfo) => Promise<ChatTurnResult>) {
  const location = new MemoryLocation();
  const clock = { now: 1_000_000 };
  const now = () => clock.now;
  const replica = (id: string) => {
    const storage = createMemoryStorage(location, { now });
    return {
      storage,
      ownership: new SessionOwnership({
        runLock: storage.runLock,
        replicas: storage.replicas,
        owners: storage.idempotency("cluster-session-owners"),
        replicaId: id,
        leaseTtlMs: TTL,
        idleReleaseMs: 60_000,
        forward: (owner) => forward(id, owner),
        logger,
        now,
        pollMs: 1,
      }),
      announce: () =>
        storage.replicas.announce(
          { id, internalUrl: `http://127.0.0.1/${id}`, version: "t", startedAt: 0 },
          10_000,
        ),
    };
  };
  return { clock, a: replica("a"), b: replica("b") };
}

describe("SessionOwnership", () => {
  it("runs a session's turns where its lease is, and forwards them there from elsewhere", async () => {
    const forwarded: string[] = [];
    const { a, b } = cluster(async (from, owner) => {
      forwarded.push(`${from}->${owner.id}`);
      return result("run-1", `ran on ${owner.id}`);
    });
    await a.announce();
    await b.announce();
    const first = await a.ownership.route(turn(), async () => result("run-1", "ran on a"));
    expect(first.outcome.text).toBe("ran on a");
    const second = await b.ownership.route(turn(), async () => result("run-1", "ran on b"));
    expect(second.outcome.text).toBe("ran on a");
    expect(forwarded).toEqual(["b->a"]);
    // Another session is free: it runs where it arrives.
    const other = await b.ownership.route(turn("agent:main:chat-2"), async () => result("run-2", "ran on b"));
    expect(other.outcome.text).toBe("ran on b");
    expect(a.ownership.heldCount()).toBe(1);
    expect(b.ownership.heldCount()).toBe(1);
    await a.ownership.stop();
    await b.ownership.stop();
  });

  it("takes a session whose owner is unreachable once its lease lapses, not before", async () => {
    const { clock, a, b } = cluster(async (_from, owner) => {
      throw new OwnerUnreachable(owner.id, new Error("ECONNREFUSED"));
    });
    await a.announce();
    await b.announce();
    await a.ownership.route(turn(), async () => result("run-1", "ran on a"));
    // a is killed: it renews nothing from now on (its timer is stopped without releasing).
    (a.ownership as unknown as { stopped: boolean; timer: NodeJS.Timeout }).stopped = true;
    clearInterval((a.ownership as unknown as { timer: NodeJS.Timeout }).timer);
    let ran = false;
    const taking = b.ownership.route(turn(), async () => {
      ran = true;
      return result("run-1", "ran on b");
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(ran).toBe(false);
    clock.now += TTL + 1;
    const taken = await taking;
    expect(taken.outcome.text).toBe("ran on b");
    expect(b.ownership.heldCount()).toBe(1);
    await b.ownership.stop();
  });

  it("gives up with OC_ERR_SESSION_ELSEWHERE when the lease does not lapse in time", async () => {
    const { clock, a, b } = cluster(async (_from, owner) => {
      throw new OwnerUnreachable(owner.id, new Error("ECONNREFUSED"));
    });
    await a.announce();
    // a holds the lease and keeps renewing it (alive for the lock) but cannot be reached.
    const key = SessionOwnership.leaseKey("main", "agent:main:chat-1");
    const lease = await a.storage.runLock.acquire(key, TTL);
    if (!lease) throw new Error("lease not taken");
    await a.storage
      .idempotency<{ replica: string }>("cluster-session-owners")
      .claim(key, { replica: "a" }, 60_000);
    const keepRenewing = setInterval(() => {
      clock.now += 200;
      void a.storage.runLock.extend(lease, TTL);
    }, 1);
    try {
      await expect(b.ownership.route(turn(), async () => result("run-1", "ran on b"))).rejects.toMatchObject({
        code: "OC_ERR_SESSION_ELSEWHERE",
      });
    } finally {
      clearInterval(keepRenewing);
    }
    await b.ownership.stop();
  });

  it("never forwards a forwarded turn on, and runs ephemeral sessions anywhere", async () => {
    const { a, b } = cluster(async () => result("x", "forwarded"));
    await a.announce();
    await a.ownership.route(turn(), async () => result("run-1", "ran on a"));
    await expect(
      b.ownership.route({ ...turn(), forwarded: true }, async () => result("run-1", "ran on b")),
    ).rejects.toMatchObject({ code: "OC_ERR_SESSION_ELSEWHERE" });
    const ephemeral = await b.ownership.route(turn("agent:main:openai:request:1"), async () =>
      result("run-3", "ran on b"),
    );
    expect(ephemeral.outcome.text).toBe("ran on b");
    await a.ownership.stop();
  });

  it("gives its leases back on stop: a peer takes the session at once", async () => {
    const { a, b } = cluster(async () => result("x", "forwarded"));
    await a.announce();
    await b.announce();
    await a.ownership.route(turn(), async () => result("run-1", "ran on a"));
    await a.ownership.stop();
    await a.storage.replicas.leave("a");
    const next = await b.ownership.route(turn(), async () => result("run-1", "ran on b"));
    expect(next.outcome.text).toBe("ran on b");
    await b.ownership.stop();
  });
});
