import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenClawError } from "../../errors.js";
import { createSilentLogger } from "../../logging/index.js";
import { HostServiceRegistry } from "../host-services/host-service-registry.js";
import { agentFixture } from "../testing/agent-fixtures.js";
import { refuseEgress } from "../testing/supervisor-options.js";
import type { RunnerBuildOptions } from "./agent-placement.js";
import { planPool } from "./pool-plan.js";

describe("planPool", () => {
  let dir: string;
  let options: RunnerBuildOptions;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "pool-plan-"));
    options = {
      logger: createSilentLogger(),
      egressFetch: refuseEgress,
      hostServices: new HostServiceRegistry(),
    };
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("plans no pool without agents.defaults.pool, or without an agent to pool", () => {
    const none = agentFixture({ agents: { main: {} } }, dir);
    expect(planPool(none.config, none.agents, undefined, none.settingsOf, options)).toEqual({
      pool: undefined,
      fingerprint: "",
    });
    const allThreaded = agentFixture(
      { agents: { defaults: { pool: { size: 2 } }, a: { threadBound: true } } },
      dir,
    );
    expect(
      planPool(allThreaded.config, allThreaded.agents, undefined, allThreaded.settingsOf, options).pool,
    ).toBe(undefined);
  });

  it("keeps the running pool while its configuration is unchanged, and plans a new one when it is not", () => {
    const first = agentFixture({ agents: { defaults: { pool: { size: 2 } }, a: {}, b: {} } }, dir);
    const planned = planPool(first.config, first.agents, undefined, first.settingsOf, options);
    const again = planPool(first.config, first.agents, planned.pool, first.settingsOf, options);
    expect(again.pool).toBe(planned.pool);
    const resized = agentFixture({ agents: { defaults: { pool: { size: 3 } }, a: {}, b: {} } }, dir);
    const next = planPool(resized.config, resized.agents, planned.pool, resized.settingsOf, options);
    expect(next.pool).not.toBe(planned.pool);
    expect(next.fingerprint).not.toBe(planned.fingerprint);
    expect(next.pool?.snapshot()).toMatchObject({ size: 3, agents: ["a", "b"] });
  });

  it("leaves out an agent whose settings do not resolve; the others are pooled", () => {
    const fixture = agentFixture({ agents: { defaults: { pool: { size: 1 } }, good: {}, bad: {} } }, dir);
    const settingsOf = (agent: (typeof fixture.agents)[number]) => {
      if (agent.id === "bad") throw new OpenClawError("OC_ERR_MODEL_CONFIG", "no such provider");
      return fixture.settingsOf(agent);
    };
    expect(
      planPool(fixture.config, fixture.agents, undefined, settingsOf, options).pool?.snapshot().agents,
    ).toEqual(["good"]);
  });
});
