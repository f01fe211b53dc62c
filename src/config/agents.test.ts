import { describe, expect, it } from "vitest";
import { resolveAgentConfigs } from "./agents.js";
import { ConfigSchema } from "./schema.js";

const resolveFrom = (input: unknown) => resolveAgentConfigs(ConfigSchema.parse(input));

describe("resolveAgentConfigs", () => {
  it("gives one default agent, main, when none is configured", () => {
    expect(resolveFrom({})).toEqual([{ id: "main", threadBound: false, runtime: "agent" }]);
    expect(resolveFrom({ agents: { defaults: { threadBound: true, model: "dev/echo" } } })).toEqual([
      { id: "main", threadBound: true, runtime: "agent", model: "dev/echo" },
    ]);
  });

  it("applies defaults under each agent's own values, in config order", () => {
    const agents = resolveFrom({
      agents: {
        zeta: { model: "local/gpt-oss-120b" },
        defaults: { model: "dev/echo", maxSteps: 4, threadBound: true },
        alpha: { runtime: "subagent", threadBound: false },
      },
    });
    expect(agents.map((agent) => agent.id)).toEqual(["zeta", "alpha"]);
    expect(agents[0]).toEqual({
      id: "zeta",
      model: "local/gpt-oss-120b",
      maxSteps: 4,
      threadBound: true,
      runtime: "agent",
    });
    expect(agents[1]).toMatchObject({ model: "dev/echo", runtime: "subagent", threadBound: false });
  });

  it("merges sandbox.docker field by field", () => {
    const [agent] = resolveFrom({
      agents: {
        defaults: { sandbox: { docker: { enabled: true, image: "node:24", binds: ["/a:/a"] } } },
        worker: { sandbox: { docker: { binds: ["/b:/b:ro"] } } },
      },
    });
    expect(agent?.sandbox).toEqual({ docker: { enabled: true, image: "node:24", binds: ["/b:/b:ro"] } });
  });

  it("merges sandbox.host field by field, adding up the hide lists", () => {
    const [worker, plain] = resolveFrom({
      agents: {
        defaults: { sandbox: { host: { network: "host", pidsLimit: 64, hide: ["/srv/keys"] } } },
        worker: { sandbox: { host: { confinement: "unconfined", pidsLimit: 32, hide: ["/srv/other"] } } },
        plain: {},
      },
    });
    expect(worker?.sandbox).toEqual({
      host: { confinement: "unconfined", network: "host", pidsLimit: 32, hide: ["/srv/keys", "/srv/other"] },
    });
    expect(plain?.sandbox).toEqual({ host: { network: "host", pidsLimit: 64, hide: ["/srv/keys"] } });
  });
});
