import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/index.js";
import { createSilentLogger } from "../logging/index.js";
import { TranscriptStore } from "../sessions/index.js";
import { ManualClock } from "../time/testing/manual-clock.js";
import { AgentSupervisor } from "./agent-supervisor.js";
import { ChatService } from "./chat-service.js";
import { resolveLimits } from "./runtime-settings.js";
import { testSupervisorOptions } from "./testing/supervisor-options.js";

const SLEEP_PLUGIN = fileURLToPath(new URL("../../examples/plugins/faults/slow.mjs", import.meta.url));
const HANG = '/tool sleep {"ms":600000}';

/** Queue and turn deadlines, measured on a clock the test moves: no test here sleeps. */
describe("turn deadlines", () => {
  let dir: string;
  let clock: ManualClock;
  let supervisor: AgentSupervisor;
  let chat: ChatService;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "turn-deadlines-"));
    clock = new ManualClock();
    const logger = createSilentLogger();
    supervisor = new AgentSupervisor(testSupervisorOptions(dir, { logger, clock }));
    await supervisor.apply(
      ConfigSchema.parse({
        agents: {
          hung: {
            plugins: [SLEEP_PLUGIN],
            limits: { maxConcurrent: 1, turnTimeoutMs: 3000, queueTimeoutMs: 1000 },
          },
        },
      }),
    );
    chat = new ChatService(supervisor, new TranscriptStore(dir), logger);
  });
  afterEach(async () => {
    chat.abortAll("test over");
    await supervisor.close();
    await rm(dir, { recursive: true, force: true });
  });

  const send = (sessionKey: string, text = HANG) =>
    chat.runTurn({ agentId: "hung", sessionKey, input: { kind: "message", text } }).then(
      () => ({ code: "ok", message: "" }),
      (error: { code: string; message: string }) => ({ code: error.code, message: error.message }),
    );

  /** Until the agent has `running` turns in flight and `queued` waiting (real promises settle). */
  const settledInto = (running: number, queued: number) =>
    expect
      .poll(() => {
        const agent = supervisor.get("hung");
        return [agent.turnsInFlight, agent.queueDepth];
      })
      .toEqual([running, queued]);

  it("answers 503 to every queued turn at queueTimeoutMs and 504 to the hung one at turnTimeoutMs", async () => {
    const first = send("s0");
    await settledInto(1, 0);
    const queued = Array.from({ length: 9 }, (_, index) => send(`s${index + 1}`));
    await settledInto(1, 9);
    clock.advance(1000);
    const refusals = await Promise.all(queued);
    expect(refusals.map((refusal) => refusal.code)).toEqual(Array(9).fill("OC_ERR_QUEUE_TIMEOUT"));
    expect(supervisor.get("hung")).toMatchObject({ queueDepth: 0, turnsRejected: 9 });
    clock.advance(2000);
    expect(await first).toMatchObject({ code: "OC_ERR_TURN_TIMEOUT" });
  });

  it("counts turnTimeoutMs from arrival: time spent queued is part of it", async () => {
    await supervisor.apply(
      ConfigSchema.parse({
        agents: {
          hung: {
            plugins: [SLEEP_PLUGIN],
            limits: { maxConcurrent: 1, turnTimeoutMs: 3000, queueTimeoutMs: 2500 },
          },
        },
      }),
    );
    const first = send("a");
    await settledInto(1, 0);
    const second = send("b");
    await settledInto(1, 1);
    clock.advance(2000);
    chat.abort("a");
    expect(await first).toMatchObject({ code: "OC_ERR_TURN_ABORTED" });
    await settledInto(1, 0);
    // Admitted after 2 s of waiting: 1 s of its 3 s is left, not 3 s.
    clock.advance(999);
    expect(supervisor.get("hung").turnsInFlight).toBe(1);
    clock.advance(1);
    expect(await second).toMatchObject({
      code: "OC_ERR_TURN_TIMEOUT",
      message: expect.stringContaining("(2000 ms of it waiting for a turn slot)"),
    });
  });

  it("bounds the wait behind the session's previous turn too, and keeps the session's turns apart", async () => {
    const first = send("same");
    await settledInto(1, 0);
    const second = send("same");
    const third = send("same");
    clock.advance(1000);
    expect(await second).toMatchObject({
      code: "OC_ERR_QUEUE_TIMEOUT",
      message: expect.stringContaining("for the session's previous turn"),
    });
    expect(await third).toMatchObject({ code: "OC_ERR_QUEUE_TIMEOUT" });
    // The first turn still runs; a later turn of the session waits for it, not for the refused ones.
    const fourth = send("same", "hello");
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    // Waiting behind the session's running turn, not queued for a slot beside it.
    expect(supervisor.get("hung")).toMatchObject({ turnsInFlight: 1, queueDepth: 0 });
    chat.abort("same");
    expect(await first).toMatchObject({ code: "OC_ERR_TURN_ABORTED" });
    expect(await fourth).toMatchObject({ code: "ok" });
  });

  it("defaults queueTimeoutMs to half of turnTimeoutMs, at most 30 s", () => {
    const limits = (given: Record<string, number>) =>
      resolveLimits({ id: "x", threadBound: false, runtime: "agent", limits: given } as never);
    expect(limits({}).queueTimeoutMs).toBe(30_000);
    expect(limits({ turnTimeoutMs: 3000 }).queueTimeoutMs).toBe(1500);
    expect(limits({ turnTimeoutMs: 3000, queueTimeoutMs: 2999 }).queueTimeoutMs).toBe(2999);
  });
});
