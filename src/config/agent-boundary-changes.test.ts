import { describe, expect, it } from "vitest";
import { agentBoundaryChanges } from "./agent-boundary-changes.js";
import { ConfigSchema, type OpenClawConfig } from "./schema.js";

const parse = (input: unknown): OpenClawConfig => ConfigSchema.parse(input);
const paths = (running: unknown, next: unknown) =>
  agentBoundaryChanges(parse(running), parse(next)).map((change) => change.path);

const sandboxed = { sandbox: { docker: { enabled: true } } };

/** `sandbox.host` as the schema will hold it; set on the parsed value until the schema has it. */
function withHost(config: OpenClawConfig, agentId: string, host: Record<string, string>): OpenClawConfig {
  const copy = structuredClone(config);
  const agents = copy.agents as Record<string, { sandbox?: Record<string, unknown> } | undefined>;
  const agent = agents[agentId] ?? {};
  agent.sandbox = { ...agent.sandbox, host };
  agents[agentId] = agent;
  return copy;
}

describe("agentBoundaryChanges", () => {
  it("reports the Docker sandbox turned off, for the defaults once and not for agents that inherit it", () => {
    const running = { agents: { defaults: sandboxed, alpha: {}, beta: { systemPrompt: "hi" } } };
    const next = {
      agents: {
        defaults: { sandbox: { docker: { enabled: false } } },
        alpha: {},
        beta: { systemPrompt: "hi" },
      },
    };
    const changes = agentBoundaryChanges(parse(running), parse(next));
    expect(changes).toEqual([
      {
        path: "agents.defaults.sandbox.docker.enabled",
        description: "the Docker sandbox is turned off: tools run on the host",
      },
    ]);
  });

  it("also names an agent whose own setting changed along with the defaults", () => {
    const running = { agents: { defaults: sandboxed, alpha: sandboxed, beta: {} } };
    const next = { agents: { defaults: {}, alpha: {}, beta: {} } };
    expect(paths(running, next)).toEqual([
      "agents.defaults.sandbox.docker.enabled",
      "agents.alpha.sandbox.docker.enabled",
    ]);
  });

  it("reports an agent that turns its own sandbox off, or drops the override that kept it on", () => {
    expect(paths({ agents: { main: sandboxed } }, { agents: { main: {} } })).toEqual([
      "agents.main.sandbox.docker.enabled",
    ]);
    expect(paths({ agents: { main: sandboxed } }, { agents: { main: { sandbox: { docker: {} } } } })).toEqual(
      ["agents.main.sandbox.docker.enabled"],
    );
  });

  it("reports a network and new binds only for a sandbox that stays on", () => {
    const bridge = { sandbox: { docker: { enabled: true, network: "bridge" } } };
    expect(paths({ agents: { main: sandboxed } }, { agents: { main: bridge } })).toEqual([
      "agents.main.sandbox.docker.network",
    ]);
    expect(paths({ agents: { main: bridge } }, { agents: { main: sandboxed } })).toEqual([]);
    // From no sandbox to a networked one is still a tightening: tools left the host.
    expect(paths({ agents: { main: {} } }, { agents: { main: bridge } })).toEqual([]);

    const binds = (list: string[]) => ({ sandbox: { docker: { enabled: true, binds: list } } });
    expect(
      paths(
        { agents: { main: binds(["/srv/a:/a:ro"]) } },
        { agents: { main: binds(["/srv/a:/a:ro", "/home:/h"]) } },
      ),
    ).toEqual(["agents.main.sandbox.docker.binds"]);
    // ro → rw is a new bind as Docker reads it.
    expect(
      paths({ agents: { main: binds(["/srv/a:/a:ro"]) } }, { agents: { main: binds(["/srv/a:/a:rw"]) } }),
    ).toEqual(["agents.main.sandbox.docker.binds"]);
    expect(
      paths({ agents: { main: binds(["/srv/a:/a:ro", "/b:/b"]) } }, { agents: { main: binds(["/b:/b"]) } }),
    ).toEqual([]);
  });

  it("names the agent when the defaults' change only weakens it through its own setting", () => {
    // The defaults alone are not sandboxed, so their new bind opens nothing; alpha is, so it does.
    const running = { agents: { defaults: { sandbox: { docker: { binds: [] } } }, alpha: sandboxed } };
    const next = { agents: { defaults: { sandbox: { docker: { binds: ["/home:/h"] } } }, alpha: sandboxed } };
    expect(paths(running, next)).toEqual(["agents.alpha.sandbox.docker.binds"]);
  });

  it("measures a new agent against the running defaults", () => {
    expect(paths({ agents: { main: {} } }, { agents: { main: {}, helper: {} } })).toEqual([]);
    expect(
      paths(
        { agents: { defaults: sandboxed, main: {} } },
        { agents: { defaults: sandboxed, main: {}, helper: {} } },
      ),
    ).toEqual([]);
    const changes = agentBoundaryChanges(
      parse({ agents: { defaults: sandboxed, main: {} } }),
      parse({
        agents: { defaults: sandboxed, main: {}, helper: { sandbox: { docker: { enabled: false } } } },
      }),
    );
    expect(changes).toEqual([
      {
        path: "agents.helper.sandbox.docker.enabled",
        description: "new agent: the Docker sandbox is turned off: tools run on the host",
      },
    ]);
  });

  it("treats the implicit main agent like a configured one", () => {
    expect(
      paths(
        { agents: { defaults: sandboxed } },
        { agents: { defaults: sandboxed, main: { sandbox: { docker: { enabled: false } } } } },
      ),
    ).toEqual(["agents.main.sandbox.docker.enabled"]);
  });

  it("reports host confinement turned off and the host network, read from sandbox.host", () => {
    const base = parse({ agents: { main: {}, other: {} } });
    const unconfined = withHost(base, "main", { confinement: "unconfined" });
    expect(agentBoundaryChanges(base, unconfined).map((change) => change.path)).toEqual([
      "agents.main.sandbox.host.confinement",
    ]);
    expect(agentBoundaryChanges(unconfined, base)).toEqual([]);
    const hostNetwork = withHost(base, "other", { network: "host" });
    expect(agentBoundaryChanges(base, hostNetwork).map((change) => change.path)).toEqual([
      "agents.other.sandbox.host.network",
    ]);
    const defaults = withHost(base, "defaults", { confinement: "unconfined" });
    expect(agentBoundaryChanges(base, defaults).map((change) => change.path)).toEqual([
      "agents.defaults.sandbox.host.confinement",
    ]);
  });

  it("ignores prompts, models, limits and removed agents", () => {
    const running = { agents: { defaults: sandboxed, main: { model: "dev/echo" }, old: {} } };
    const next = {
      agents: {
        defaults: { ...sandboxed, maxSteps: 12 },
        main: {
          model: "anthropic/claude-sonnet-4-5",
          systemPrompt: "be brief",
          limits: { maxConcurrent: 8 },
        },
      },
    };
    expect(paths(running, next)).toEqual([]);
  });
});
