import { describe, expect, it } from "vitest";
import { RunService, type TurnExecutor } from "../../agents/index.js";
import { ConfigSchema } from "../../config/index.js";
import { createSilentLogger } from "../../logging/index.js";
import { MemoryIdempotencyStore } from "../../storage/index.js";
import { HookService, wrapHookMessage } from "./hook-service.js";

function setup(hooks: Record<string, unknown> = {}, reply = "the answer") {
  const turns: { sessionKey: string; text: string; runId: string }[] = [];
  const executor: TurnExecutor = {
    runTurn: async (turn) => {
      const text = turn.input.kind === "message" ? turn.input.text : "";
      turns.push({ sessionKey: turn.sessionKey, text, runId: turn.runId });
      return {
        runId: turn.runId,
        outcome: {
          text: reply,
          messages: [],
          usage: { inputTokens: 1, outputTokens: 1 },
          finishReason: "stop",
          steps: 1,
        },
      };
    },
    abort: () => [],
  };
  const runs = new RunService({
    turns: executor,
    agents: { defaultAgentId: () => "main", assertAvailable: () => undefined },
    idempotency: new MemoryIdempotencyStore(),
  });
  const sent: unknown[] = [];
  const service = new HookService({
    config: () => ConfigSchema.parse({ hooks }).hooks,
    agents: { has: (agentId) => agentId === "main", defaultAgentId: () => "main" },
    runs,
    send: async (request) => {
      sent.push(request);
      return {};
    },
    logger: createSilentLogger(),
  });
  return { service, turns, sent };
}

describe("HookService.agent", () => {
  it("answers 202 with the run id at once and runs the wrapped message in a fresh session", async () => {
    const { service, turns } = setup();
    const answer = await service.agent({ message: "deploy finished" }, {}, "/hooks/agent");
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ ok: true, runId: expect.stringMatching(/^hook-/) });
    await expect.poll(() => turns.length).toBe(1);
    expect(turns[0]?.sessionKey).toBe(answer.body.sessionKey);
    expect(turns[0]?.text).toBe(wrapHookMessage("Hook", "deploy finished"));
  });

  it("runs a retried Idempotency-Key once, and a new message under the same key again", async () => {
    const { service, turns } = setup();
    const headers = { "idempotency-key": "delivery-1" };
    const first = await service.agent({ message: "m" }, headers, "/hooks/agent");
    const second = await service.agent({ message: "m" }, headers, "/hooks/agent");
    expect(second.body.runId).toBe(first.body.runId);
    expect(second.body.sessionKey).toBe(first.body.sessionKey);
    await expect.poll(() => turns.length).toBe(1);
    const other = await service.agent({ message: "other" }, headers, "/hooks/agent");
    expect(other.body.runId).not.toBe(first.body.runId);
    await expect.poll(() => turns.length).toBe(2);
  });

  it("delivers the answer to the channel and says so when waiting for completion", async () => {
    const { service, sent } = setup();
    const answer = await service.agent(
      { message: "m", channel: "telegram", to: "42", waitForCompletion: true },
      {},
      "/hooks/agent",
    );
    expect(answer.status).toBe(200);
    expect(answer.body.completion).toEqual({
      status: "ok",
      replyDisposition: "visible",
      deliveryAttempted: true,
      delivered: true,
    });
    expect(sent).toEqual([{ channel: "telegram", target: "42", text: "the answer" }]);
  });

  it("refuses an agent outside allowedAgentIds before running anything", async () => {
    const { service, turns } = setup({ allowedAgentIds: ["ops"] });
    await expect(service.agent({ message: "m" }, {}, "/hooks/agent")).rejects.toMatchObject({
      code: "OC_ERR_BAD_REQUEST",
    });
    expect(turns).toEqual([]);
  });
});

describe("HookService.wake", () => {
  it("queues a system event for the main session and runs it now", async () => {
    const { service, turns } = setup();
    const answer = await service.wake({ text: "import done" }, "/hooks/wake");
    expect(answer).toEqual({ status: 200, body: { ok: true, mode: "now", eventOutcome: "queued" } });
    await expect.poll(() => turns.length).toBe(1);
    expect(turns[0]?.sessionKey).toBe("agent:main:main");
    expect(turns[0]?.text).toContain("- import done");
  });

  it("keeps a next-heartbeat wake pending, coalescing a repeat", async () => {
    const { service, turns } = setup();
    await service.wake({ text: "t", mode: "next-heartbeat" }, "/hooks/wake");
    const again = await service.wake({ text: "t", mode: "next-heartbeat" }, "/hooks/wake");
    expect(again.body.eventOutcome).toBe("coalesced");
    expect(service.wakes.drain("agent:main:main")).toEqual(["t"]);
    expect(turns).toEqual([]);
  });
});
