import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/index.js";
import { createSilentLogger } from "../logging/index.js";
import { AgentSupervisor } from "./agent-supervisor.js";

describe("AgentSupervisor and config reloads", () => {
  let dir: string;
  let supervisor: AgentSupervisor;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "agent-supervisor-"));
    supervisor = new AgentSupervisor({
      logger: createSilentLogger(),
      readCredential: () => undefined,
      stateDir: dir,
    });
    await supervisor.apply(ConfigSchema.parse({ agents: { main: { systemPrompt: "first" } } }));
  });
  afterEach(async () => {
    await supervisor.close();
    await rm(dir, { recursive: true, force: true });
  });

  // Finding 7 of the reliability pass: one turn of 7 000 got 503 "replaced by a config reload".
  // A turn holding its slot while its agent is replaced must still run on the runner it was given.
  it("keeps a replaced runner open for a turn that holds its slot but has not started", async () => {
    const lease = await supervisor.acquire("main");
    const changes = await supervisor.apply(
      ConfigSchema.parse({ agents: { main: { systemPrompt: "second" } } }),
    );
    expect(changes.changed).toEqual(["main"]);
    // The gap in ChatService between acquire and runTurn (history read, transcript write).
    await new Promise((resolve) => setTimeout(resolve, 50));
    const outcome = await lease.runner.runTurn({
      agentId: "main",
      sessionKey: "agent:main:reload",
      messages: [{ role: "user", content: "still there?" }],
      depth: 0,
      signal: new AbortController().signal,
      emit: () => undefined,
      delegate: () => Promise.reject(new Error("no delegation here")),
    });
    expect(outcome.text).toBe("You said: still there?");
    lease.release();
    // New turns go to the new runner.
    const next = await supervisor.acquire("main");
    expect(next.runner).not.toBe(lease.runner);
    next.release();
  });
});
