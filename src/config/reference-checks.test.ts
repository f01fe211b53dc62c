import { describe, expect, it } from "vitest";
import { OpenClawError } from "../errors.js";
import type { ConfigIssue } from "./config-issues.js";
import { parseConfigText } from "./load.js";

const FILE = "/etc/openclaw/openclaw.json";

function issuesOf(text: string): ConfigIssue[] {
  try {
    parseConfigText(text, FILE);
  } catch (error) {
    if (error instanceof OpenClawError && error.code === "OC_ERR_CONFIG_INVALID")
      return error.details?.issues as ConfigIssue[];
    throw error;
  }
  return [];
}

describe("tool names in allow-lists", () => {
  it("refuses an unknown tool at its line, with the tool it is closest to", () => {
    const issues = issuesOf(`{\n  agents: {\n    main: { tools: ["echo", "curent_time"] },\n  },\n}`);
    expect(issues).toMatchObject([{ path: "agents.main.tools[1]", line: 3, suggestion: "current_time" }]);
    expect(issues[0]?.message).toContain('unknown tool "curent_time"');
  });

  it("in OpenClaw's policy form, lets OpenClaw-only tools and groups by, but not a near miss", () => {
    expect(
      issuesOf(
        `{ agents: { main: { tools: { allow: ["browser", "group:fs", "exec*"], deny: ["web_search"] } } } }`,
      ),
    ).toEqual([]);
    expect(issuesOf(`{ agents: { main: { tools: { allow: ["curent_time"] } } } }`)).toMatchObject([
      { path: "agents.main.tools.allow[0]", suggestion: "current_time" },
    ]);
  });

  it("checks agents.defaults.tools too, and accepts every tool the gateway has", () => {
    expect(issuesOf(`{ agents: { defaults: { tools: ["exce"] } } }`)).toMatchObject([
      { path: "agents.defaults.tools[0]", suggestion: "exec" },
    ]);
    const all = ["echo", "current_time", "read", "write", "edit", "list", "exec", "memory_store"];
    const more = ["memory_search", "memory_forget", "canvas", "message", "agents_spawn", "agents_wait"];
    expect(issuesOf(JSON.stringify({ agents: { main: { tools: [...all, ...more] } } }))).toEqual([]);
  });

  it("leaves the names of an agent with plugins to the agent, which knows them once loaded", () => {
    expect(issuesOf(`{ agents: { main: { plugins: ["./p.mjs"], tools: ["weather"] } } }`)).toEqual([]);
    expect(
      issuesOf(`{ agents: { defaults: { tools: ["weather"] }, main: { plugins: ["./p.mjs"] } } }`),
    ).toEqual([]);
    expect(
      issuesOf(`{ agents: { main: { plugins: ["./p.mjs"] }, other: { tools: ["weather"] } } }`),
    ).toMatchObject([{ path: "agents.other.tools[0]" }]);
  });
});

describe("model providers", () => {
  it("refuses a provider one typo away from a configured one, suggesting it", () => {
    const issues = issuesOf(
      `{\n  models: { providers: { local: { baseUrl: "http://127.0.0.1:8000/v1" } } },\n  agents: { main: { model: "lcoal/x" } },\n}`,
    );
    expect(issues).toMatchObject([{ path: "agents.main.model", line: 3, suggestion: "local/x" }]);
    expect(issues[0]?.message).toContain('provider "lcoal", which is not configured');
  });

  it("suggests a built-in provider, and leaves a name near none to the agent's start", () => {
    expect(issuesOf(`{ agents: { main: { model: "opnai/gpt-4o" } } }`)).toMatchObject([
      { suggestion: "openai/gpt-4o" },
    ]);
    expect(issuesOf(`{ agents: { main: { model: "local/gpt-oss-120b" } } }`)).toEqual([]);
    expect(issuesOf(`{ agents: { main: { model: "claude-opus-4-5-thinking" } } }`)).toEqual([]);
  });
});
