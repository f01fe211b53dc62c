import { describe, expect, it } from "vitest";
import { resolveAgentConfigs } from "./agents.js";
import { parseConfigText } from "./load.js";
import { configJsonSchema } from "./schema.js";
import { configIssuesOf } from "./testing/config-issues-of.js";

const FILE = "/etc/openclaw/openclaw.json";

const issuesOf = (text: string) => configIssuesOf(text, FILE);

const OPENCLAW_CONFIG = `{
  wizard: { lastRunAt: "2026-01-01" },
  gateway: {
    mode: "local",
    bind: "loopback",
    auth: { mode: "none", allowTailscale: true, rateLimit: { exemptLoopback: true } },
  },
  agents: {
    defaults: { thinkingDefault: "low", model: "dev/echo" },
    entries: {
      main: { identity: { name: "Samantha" }, groupChat: { mentionPatterns: [] } },
    },
  },
}`;

describe("OpenClaw settings this gateway does not implement", () => {
  it("loads them with one warning each, at its line", () => {
    const loaded = parseConfigText(OPENCLAW_CONFIG, FILE);
    expect(loaded.warnings).toEqual([
      { path: "wizard", line: 2, column: 3, message: "OpenClaw setting not supported here; ignored" },
      expect.objectContaining({ path: "gateway.auth.allowTailscale", line: 6 }),
      expect.objectContaining({ path: "gateway.auth.rateLimit.exemptLoopback", line: 6 }),
      expect.objectContaining({ path: "agents.defaults.thinkingDefault", line: 9 }),
      expect.objectContaining({ path: "agents.entries.main.identity", line: 11 }),
      expect.objectContaining({ path: "agents.entries.main.groupChat", line: 11 }),
    ]);
  });

  it("keeps them away from what the gateway runs", () => {
    const { config } = parseConfigText(OPENCLAW_CONFIG, FILE);
    expect(config).not.toHaveProperty("wizard");
    expect(config.gateway).not.toHaveProperty("bind");
    expect(config.gateway.host).toBe("127.0.0.1");
    expect(config.gateway.mode).toBe("development");
    expect(resolveAgentConfigs(config)).toEqual([
      { id: "main", model: "dev/echo", threadBound: false, runtime: "agent" },
    ]);
  });

  it("still refuses a typo of one, suggesting it", () => {
    expect(issuesOf(`{ agents: { entries: { main: { identiy: {} } } } }`)).toEqual([
      expect.objectContaining({ path: "agents.entries.main.identiy", suggestion: "identity" }),
    ]);
    expect(issuesOf(`{ wizzard: {} }`)).toEqual([expect.objectContaining({ suggestion: "wizard" })]);
  });

  it("still refuses a key OpenClaw does not have either", () => {
    expect(issuesOf(`{ gateway: { frobnicate: true } }`)).toEqual([
      expect.objectContaining({ path: "gateway.frobnicate", message: 'unknown key "frobnicate"' }),
    ]);
  });

  it("has no warning for a config in this gateway's own form", () => {
    expect(parseConfigText(`{ agents: { main: { model: "dev/echo" } } }`, FILE).warnings).toEqual([]);
  });

  it("refuses OpenClaw's remote mode, which is not a gateway", () => {
    expect(issuesOf(`{ gateway: { mode: "remote" } }`)).toEqual([
      expect.objectContaining({ path: "gateway.mode", message: expect.stringContaining('"local"') }),
    ]);
  });

  it("lists them in the JSON schema, marked as ignored", () => {
    const schema = configJsonSchema() as { properties: Record<string, { description?: string }> };
    expect(schema.properties.wizard?.description).toMatch(/not supported here; ignored/);
  });

  it("reads gateway.bind loopback and lan as the listen address, and ignores the modes it cannot do", () => {
    expect(parseConfigText(`{ gateway: { bind: "lan" } }`, FILE).config.gateway.host).toBe("0.0.0.0");
    const tailnet = parseConfigText(`{ gateway: { bind: "tailnet" } }`, FILE);
    expect(tailnet.config.gateway.host).toBe("127.0.0.1");
    expect(tailnet.warnings.map((warning) => warning.path)).toEqual(["gateway.bind"]);
    expect(issuesOf(`{ gateway: { bind: "lan", host: "127.0.0.1" } }`)).toEqual([
      expect.objectContaining({ path: "gateway.bind", message: expect.stringMatching(/contradicts host/) }),
    ]);
  });
});
