import { describe, expect, it } from "vitest";
import { OpenClawError } from "../errors.js";
import type { IdempotencyClaim, IdempotencyStore } from "../storage/idempotency-store.js";
import type { ChatTurnResult } from "./chat-service.js";
import { type RunEvent, type RunRecord, RunService, type TurnExecutor } from "./run-service.js";

/** A store as small as the contract: what the run service relies on, nothing more. */
class MapStore implements IdempotencyStore<RunRecord> {
  readonly values = new Map<string, RunRecord>();
  async claim(key: string, value: RunRecord): Promise<IdempotencyClaim<RunRecord>> {
    const existing = this.values.get(key);
    if (existing) return { claimed: false, existing };
    this.values.set(key, value);
    return { claimed: true };
  }
  async update(key: string, value: RunRecord) {
    this.values.set(key, value);
  }
  async get(key: string) {
    return this.values.get(key);
  }
  async forget(key: string) {
    this.values.delete(key);
  }
}

function outcomeOf(text: string): ChatTurnResult["outcome"] {
  return { text, messages: [], usage: { inputTokens: 1, outputTokens: 2 }, finishReason: "stop", steps: 1 };
}

function service(options: { fail?: OpenClawError; available?: (agentId: string) => void } = {}) {
  const calls: { agentId: string; sessionKey: string; runId: string }[] = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const turns: TurnExecutor = {
    runTurn: async (turn) => {
      calls.push({ agentId: turn.agentId, sessionKey: turn.sessionKey, runId: turn.runId });
      turn.onEvent?.({ type: "text-delta", text: "hi" });
      await gate;
      if (options.fail) throw options.fail;
      return { runId: turn.runId, outcome: outcomeOf("hi") };
    },
    abort: () => [],
  };
  const store = new MapStore();
  const runs = new RunService({
    turns,
    agents: { defaultAgentId: () => "main", assertAvailable: options.available ?? (() => undefined) },
    idempotency: store,
  });
  return { runs, calls, store, release };
}

const ORIGIN = { transport: "ws" as const, route: "chat.send" };

describe("RunService", () => {
  it("runs on the explicit agent, else the session key's, else the default", async () => {
    const { runs, calls, release } = service();
    release();
    await runs.run({ sessionKey: "agent:research:x", input: { kind: "message", text: "a" }, origin: ORIGIN });
    await runs.run({ sessionKey: "plain", input: { kind: "message", text: "b" }, origin: ORIGIN });
    await runs.run({
      sessionKey: "agent:research:x",
      agentId: "other",
      input: { kind: "message", text: "c" },
      origin: ORIGIN,
    });
    expect(calls.map((call) => call.agentId)).toEqual(["research", "main", "other"]);
  });

  it("answers a retried key with its first run, started once", async () => {
    const { runs, calls, release } = service();
    const request = {
      sessionKey: "s",
      input: { kind: "message" as const, text: "x" },
      origin: ORIGIN,
      idempotencyKey: "k1",
    };
    const first = await runs.start(request);
    expect(first.status).toBe("started");
    const retry = await runs.start(request);
    expect(retry).toMatchObject({ status: "known", record: { runId: "k1", state: "running" } });
    release();
    if (first.status === "started") await first.done;
    const later = await runs.start(request);
    expect(later).toMatchObject({ status: "known", record: { state: "ok", result: { text: "hi" } } });
    expect(calls).toHaveLength(1);
  });

  it("keeps keys per instance: another gateway's runs are not this one's", async () => {
    const a = service();
    const b = service();
    a.release();
    b.release();
    const request = {
      sessionKey: "s",
      input: { kind: "message" as const, text: "x" },
      origin: ORIGIN,
      idempotencyKey: "same",
    };
    await a.runs.run(request);
    await b.runs.run(request);
    expect(a.calls).toHaveLength(1);
    expect(b.calls).toHaveLength(1);
  });

  it("forgets the key of a run refused or failed, so a retry may run it, and remembers a timeout", async () => {
    const refused = service({
      available: () => {
        throw new OpenClawError("OC_ERR_AGENT_UNAVAILABLE", "down");
      },
    });
    const request = {
      sessionKey: "s",
      input: { kind: "message" as const, text: "x" },
      origin: ORIGIN,
      idempotencyKey: "k",
    };
    await expect(refused.runs.start(request)).rejects.toMatchObject({ code: "OC_ERR_AGENT_UNAVAILABLE" });
    expect(refused.store.values.size).toBe(0);
    expect(refused.calls).toHaveLength(0);

    const failing = service({ fail: new OpenClawError("OC_ERR_MODEL_PROVIDER", "boom") });
    failing.release();
    await expect(failing.runs.run(request)).rejects.toMatchObject({ code: "OC_ERR_MODEL_PROVIDER" });
    expect(failing.store.values.size).toBe(0);

    const slow = service({ fail: new OpenClawError("OC_ERR_TURN_TIMEOUT", "late") });
    slow.release();
    await expect(slow.runs.run(request)).rejects.toMatchObject({ code: "OC_ERR_TURN_TIMEOUT" });
    expect(slow.store.values.get("k")?.state).toBe("timeout");
  });

  it("tells announced runs to subscribers, and only those", async () => {
    const { runs, release } = service();
    const events: RunEvent["type"][] = [];
    runs.subscribe((event) => events.push(event.type));
    release();
    await runs.run({ sessionKey: "s", input: { kind: "message", text: "quiet" }, origin: ORIGIN });
    expect(events).toEqual([]);
    await runs.run({
      sessionKey: "s",
      input: { kind: "message", text: "loud" },
      origin: ORIGIN,
      announce: true,
    });
    expect(events).toEqual(["run-started", "run-event", "run-finished"]);
  });
});
