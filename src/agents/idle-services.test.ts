import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenClawError } from "../errors.js";
import { MCP_SERVICE } from "../tools/index.js";
import type { AgentRunner } from "./agent-runner.js";
import { HostServiceRegistry } from "./host-services/host-service-registry.js";
import { InlineAgentRunner } from "./inline-runner.js";
import { agentFixture } from "./testing/agent-fixtures.js";
import { refuseEgress } from "./testing/supervisor-options.js";
import { ThreadAgentRunner } from "./worker/thread-runner.js";

/** A turn skips the host services the gateway says are idle for it (no MCP server: no list call). */
describe("idle host services", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "idle-services-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const runners: [string, (settings: never, registry: HostServiceRegistry) => AgentRunner][] = [
    ["main thread", (settings, registry) => new InlineAgentRunner(settings, refuseEgress, registry)],
    [
      "own thread",
      (settings, registry) =>
        new ThreadAgentRunner(settings, () => undefined, {
          egressFetch: refuseEgress,
          hostServices: registry,
        }),
    ],
  ];

  it.each(runners)("on the %s: MCP is asked for its tools only while it is not idle", async (_, build) => {
    let idle = true;
    const asked: string[] = [];
    const registry = new HostServiceRegistry().register(
      MCP_SERVICE,
      (call) => {
        asked.push(`${call.agentId}:${call.operation}`);
        return [];
      },
      { idleFor: () => idle },
    );
    expect(registry.idleFor("main")).toEqual([MCP_SERVICE]);
    const fixture = agentFixture({ agents: { main: {} } }, dir);
    const runner = build(fixture.settingsOf(fixture.agent("main")) as never, registry);
    await runner.start();
    try {
      const turn = () =>
        runner.runTurn({
          agentId: "main",
          sessionKey: "agent:main:s1",
          messages: [{ role: "user", content: "ping" }],
          depth: 0,
          signal: new AbortController().signal,
          emit: () => undefined,
          delegate: () => Promise.reject(new Error("no subagents here")),
        });
      const first = await turn();
      expect(first.text).not.toBe("");
      expect(asked).toEqual([]);
      idle = false;
      expect(registry.idleFor("main")).toBeUndefined();
      await turn();
      expect(asked).toEqual(["main:list"]);
    } finally {
      await runner.close(new OpenClawError("OC_ERR_AGENT_UNAVAILABLE", "test over"));
    }
  });
});
