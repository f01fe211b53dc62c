import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HostAccess } from "../tools/index.js";
import { AgentRuntime } from "./agent-runtime.js";
import { agentFixture } from "./testing/agent-fixtures.js";
import { refuseEgress } from "./testing/supervisor-options.js";

const noHost: HostAccess = {
  call: () => Promise.reject(new Error("no host services in this test")),
} as unknown as HostAccess;

describe("AgentRuntime", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "agent-runtime-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const runtimeFor = (agent: Record<string, unknown>) => {
    const fixture = agentFixture({ agents: { main: agent } }, dir);
    return AgentRuntime.create(fixture.settingsOf(fixture.agent("main")), refuseEgress, []);
  };
  const turn = (runtime: AgentRuntime, content: string) =>
    runtime.runTurn({
      sessionKey: "agent:main:runtime",
      messages: [{ role: "user", content }],
      depth: 0,
      signal: new AbortController().signal,
      host: noHost,
      emit: () => undefined,
      delegate: () => Promise.reject(new Error("no delegation here")),
    });

  it("builds its tools on the first turn, and stops the processes they started at shutdown", async () => {
    const runtime = await runtimeFor({ sandbox: { host: { confinement: "unconfined" } } });
    const command = "while :; do sleep 1; done";
    const started = await turn(runtime, `/tool exec ${JSON.stringify({ command, background: true })}`);
    const { sessionId } = JSON.parse(started.text.replace(/^Tool exec returned: /, "")) as {
      sessionId: string;
    };
    const poll = `/tool process ${JSON.stringify({ action: "poll", sessionId })}`;
    expect((await turn(runtime, poll)).text).toMatch(/"status":"running"/);
    await runtime.shutdown();
    expect((await turn(runtime, poll)).text).toMatch(/no background process/);
  });

  it("refuses at start, not at the first turn, an allow-list naming a tool that does not exist", async () => {
    await expect(runtimeFor({ tools: ["read", "no_such_tool"] })).rejects.toMatchObject({
      code: "OC_ERR_CONFIG_INVALID",
    });
  });

  it("refuses at start a plugin that does not load", async () => {
    const plugin = join(dir, "broken-plugin.mjs");
    await writeFile(plugin, "throw new Error('broken on import');\n");
    await expect(runtimeFor({ plugins: [plugin] })).rejects.toThrow(/broken on import/);
  });

  it("shuts down and ends sessions without building tools it never needed", async () => {
    const runtime = await runtimeFor({});
    await runtime.endSession("agent:main:runtime");
    await runtime.shutdown();
    expect((await turn(runtime, "still here")).text).toBe("You said: still here");
  });
});
