import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import { createSilentLogger } from "../../logging/index.js";
import { HostServiceRegistry } from "../host-services/host-service-registry.js";
import { InlineAgentRunner } from "../inline-runner.js";
import { agentFixture } from "../testing/agent-fixtures.js";
import { refuseEgress } from "../testing/supervisor-options.js";
import { ThreadAgentRunner } from "../worker/thread-runner.js";
import { buildRunner, planRunner, type RunnerBuildOptions } from "./agent-placement.js";
import { planPool } from "./pool-plan.js";

describe("agent placement", () => {
  let dir: string;
  let options: RunnerBuildOptions;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "agent-placement-"));
    options = {
      logger: createSilentLogger(),
      egressFetch: refuseEgress,
      hostServices: new HostServiceRegistry(),
    };
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("puts a thread-bound agent on its own thread, others on the pool when there is one, else main", () => {
    const fixture = agentFixture(
      { agents: { defaults: { pool: { size: 1 } }, own: { threadBound: true }, light: {} } },
      dir,
    );
    const pool = planPool(fixture.config, fixture.agents, undefined, fixture.settingsOf, options).pool;
    expect(pool).toBeDefined();
    expect(planRunner(fixture.agent("own"), pool)).toEqual({ placement: "thread" });
    expect(planRunner(fixture.agent("light"), pool)).toEqual({ placement: "pool", pool });
    expect(planRunner(fixture.agent("light"), undefined)).toEqual({ placement: "main" });
  });

  it("builds the runner each placement calls for", async () => {
    const fixture = agentFixture({ agents: { defaults: { pool: { size: 1 } }, main: {} } }, dir);
    const settings = fixture.settingsOf(fixture.agent("main"));
    const crashes: unknown[] = [];
    const onCrash = (error: OpenClawError) => crashes.push(error);
    const inline = buildRunner({ placement: "main" }, settings, onCrash, options);
    expect(inline).toBeInstanceOf(InlineAgentRunner);
    const pool = planPool(fixture.config, fixture.agents, undefined, fixture.settingsOf, options).pool!;
    const pooled = buildRunner({ placement: "pool", pool }, settings, onCrash, options);
    expect(pooled.placement).toBe("pool");
    // A thread-bound runner's worker starts with it: closed at once, it never reports a crash.
    const thread = buildRunner({ placement: "thread" }, settings, onCrash, options);
    expect(thread).toBeInstanceOf(ThreadAgentRunner);
    await thread.close(new OpenClawError("OC_ERR_AGENT_UNAVAILABLE", "test over"));
    await pool.close();
    expect(crashes).toEqual([]);
  });
});
