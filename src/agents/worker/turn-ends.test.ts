import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import { HostServiceRegistry } from "../host-services/host-service-registry.js";
import { agentFixture } from "../testing/agent-fixtures.js";
import { refuseEgress } from "../testing/supervisor-options.js";
import { ThreadAgentRunner } from "./thread-runner.js";
import type { FromWorkerMessage } from "./worker-protocol.js";

/** Turns that end in the same pass of the worker's loop cross back as one message. */
describe("turn ends from an agent thread", () => {
  let dir: string;
  const seen: FromWorkerMessage["type"][] = [];
  const emit = Worker.prototype.emit;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "turn-ends-"));
    seen.length = 0;
    // What the gateway's side of the thread receives, without reaching into the runner.
    Worker.prototype.emit = function (this: Worker, event: string | symbol, ...args: unknown[]) {
      if (event === "message") seen.push((args[0] as FromWorkerMessage).type);
      return emit.call(this, event, ...args);
    };
  });
  afterEach(async () => {
    Worker.prototype.emit = emit;
    await rm(dir, { recursive: true, force: true });
  });

  it("carries each turn's own answer, fewer messages than turns", async () => {
    const fixture = agentFixture({ agents: { main: { threadBound: true } } }, dir);
    const runner = new ThreadAgentRunner(fixture.settingsOf(fixture.agent("main")), () => undefined, {
      egressFetch: refuseEgress,
      hostServices: new HostServiceRegistry(),
    });
    await runner.start();
    try {
      const turn = (index: number) =>
        runner.runTurn({
          agentId: "main",
          sessionKey: `agent:main:ends-${index}`,
          messages: [{ role: "user", content: `turn ${index}` }],
          depth: 0,
          signal: new AbortController().signal,
          emit: () => undefined,
          delegate: () => Promise.reject(new Error("no subagents here")),
        });
      const before = seen.length;
      const outcomes = await Promise.all(Array.from({ length: 16 }, (_, index) => turn(index)));
      for (const [index, outcome] of outcomes.entries()) expect(outcome.text).toContain(`turn ${index}`);
      const ends = seen.slice(before).filter((type) => type === "turn-done" || type === "turn-ends");
      expect(seen.slice(before)).toContain("turn-ends");
      expect(ends.length).toBeLessThan(16);
    } finally {
      await runner.close(new OpenClawError("OC_ERR_INTERNAL", "test over"));
    }
  });
});
