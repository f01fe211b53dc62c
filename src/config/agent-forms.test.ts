import { describe, expect, it } from "vitest";
import { resolveAgentConfigs } from "./agents.js";
import { parseConfigText } from "./load.js";
import { configIssuesOf } from "./testing/config-issues-of.js";

const FILE = "/etc/openclaw/openclaw.json";
const idsOf = (text: string) =>
  resolveAgentConfigs(parseConfigText(text, FILE).config).map((agent) => agent.id);

const issuesOf = (text: string) => configIssuesOf(text, FILE);

describe("OpenClaw's agent forms", () => {
  it("reads agents.entries.<id> as the agent <id>, defaults applied", () => {
    const { config } = parseConfigText(
      `{ agents: { defaults: { maxSteps: 3 }, entries: { home: { model: "dev/echo" }, work: {} } } }`,
      FILE,
    );
    expect(resolveAgentConfigs(config)).toEqual([
      { id: "home", model: "dev/echo", maxSteps: 3, threadBound: false, runtime: "agent" },
      { id: "work", maxSteps: 3, threadBound: false, runtime: "agent" },
    ]);
    // Downstream code reads the seed's form: no `entries` key is left for it to mistake for an agent.
    expect(Object.keys(config.agents)).toEqual(["defaults", "home", "work"]);
  });

  it("reads the legacy agents.list[] and puts the default: true agent first", () => {
    const text = `{ agents: { list: [ { id: "ops", threadBound: true }, { id: "main", default: true } ] } }`;
    expect(idsOf(text)).toEqual(["main", "ops"]);
    const [main, ops] = resolveAgentConfigs(parseConfigText(text, FILE).config);
    expect(main).not.toHaveProperty("default");
    expect(ops).toMatchObject({ id: "ops", threadBound: true });
  });

  it("honours default: true in agents.entries and in the seed form too", () => {
    expect(idsOf(`{ agents: { entries: { a: {}, b: { default: true } } } }`)).toEqual(["b", "a"]);
    expect(idsOf(`{ agents: { a: {}, b: { default: true } } }`)).toEqual(["b", "a"]);
  });

  it("mixes the three forms when no id repeats", () => {
    expect(
      idsOf(`{ agents: { seed: {}, entries: { keyed: {} }, list: [{ id: "listed" }] } }`).sort(),
    ).toEqual(["keyed", "listed", "seed"]);
  });

  it("refuses the same id twice, naming both places", () => {
    const issues = issuesOf(`{
  agents: {
    main: {},
    entries: {
      main: { model: "dev/echo" },
    },
  },
}`);
    expect(issues).toEqual([
      expect.objectContaining({
        path: "agents.entries.main",
        line: 5,
        message: expect.stringMatching(
          /"main" is defined twice: at agents\.main and at agents\.entries\.main/,
        ),
      }),
    ]);
    expect(issuesOf(`{ agents: { entries: { x: {} }, list: [{ id: "x" }] } }`)[0]?.message).toMatch(
      /at agents\.entries\.x and at agents\.list\[0\]/,
    );
  });

  it("refuses two default agents", () => {
    const issues = issuesOf(
      `{ agents: { entries: { a: { default: true } }, list: [{ id: "b", default: true }] } }`,
    );
    expect(issues[0]?.message).toMatch(
      /only one agent may be marked default: true .*agents\.entries\.a, agents\.list\[0\]/,
    );
  });

  it("keeps typos errors with a suggestion inside entries and list", () => {
    expect(issuesOf(`{ agents: { entries: { main: { modle: "dev/echo" } } } }`)).toEqual([
      expect.objectContaining({ path: "agents.entries.main.modle", suggestion: "model" }),
    ]);
    expect(issuesOf(`{ agents: { list: [{ id: "main", threadbound: true }] } }`)).toEqual([
      expect.objectContaining({ path: "agents.list[0].threadbound", suggestion: "threadBound" }),
    ]);
    // A misspelt `entries` is read as a seed-form agent, whose agents then fail as unknown keys.
    expect(issuesOf(`{ agents: { entires: { main: {} } } }`)).toEqual([
      expect.objectContaining({ path: "agents.entires.main", message: 'unknown key "main"' }),
    ]);
  });

  it("checks the ids of entries and list", () => {
    expect(issuesOf(`{ agents: { list: [{ id: "bad id" }] } }`)[0]).toMatchObject({
      path: "agents.list[0].id",
    });
    expect(issuesOf(`{ agents: { list: [{ model: "dev/echo" }] } }`)[0]).toMatchObject({
      path: "agents.list[0].id",
      message: 'required key "id" is missing',
    });
    expect(issuesOf(`{ agents: { entries: { "bad id": {} } } }`)[0]?.path).toMatch(/^agents\.entries/);
  });

  it("reads OpenClaw's subagents names, and ignores its runtime and sandbox selection with a warning", () => {
    const loaded = parseConfigText(
      `{ agents: { entries: { main: {
        subagents: { allowAgents: ["*"], maxSpawnDepth: 2, requireAgentId: true },
        runtime: { type: "acp", acp: { agent: "codex" } },
        sandbox: { mode: "off" },
      } } } }`,
      FILE,
    );
    const [main] = resolveAgentConfigs(loaded.config);
    expect(main).toMatchObject({ subagents: { allow: ["*"], maxDepth: 2 }, runtime: "agent" });
    expect(main?.sandbox).toEqual({});
    expect(loaded.warnings.map((warning) => warning.path)).toEqual([
      "agents.entries.main.subagents.requireAgentId",
      "agents.entries.main.runtime",
      "agents.entries.main.sandbox.mode",
    ]);
    // This gateway's own runtime values are still checked.
    expect(issuesOf(`{ agents: { main: { runtime: "subagnet" } } }`)[0]?.suggestion).toBe("subagent");
  });
});
