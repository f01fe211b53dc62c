import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../config/index.js";
import { resolveHookAgent, resolveHookAgentSession, resolveHookWakeSession } from "./hook-session-policy.js";

const hooksOf = (hooks: Record<string, unknown>) => ConfigSchema.parse({ hooks }).hooks;
const agents = { has: (agentId: string) => ["main", "ops"].includes(agentId), defaultAgentId: () => "main" };

describe("resolveHookAgent", () => {
  it("takes a configured agent, else the default, within allowedAgentIds", () => {
    expect(resolveHookAgent(hooksOf({}), undefined, agents)).toBe("main");
    expect(resolveHookAgent(hooksOf({}), "ops", agents)).toBe("ops");
    expect(resolveHookAgent(hooksOf({ allowedAgentIds: ["*"] }), "ops", agents)).toBe("ops");
    expect(() => resolveHookAgent(hooksOf({}), "ghost", agents)).toThrow(/not configured/);
    expect(() => resolveHookAgent(hooksOf({ allowedAgentIds: ["ops"] }), undefined, agents)).toThrow(
      /allowedAgentIds/,
    );
    expect(() => resolveHookAgent(hooksOf({ allowedAgentIds: [] }), "ops", agents)).toThrow(
      expect.objectContaining({ code: "OC_ERR_BAD_REQUEST" }),
    );
  });
});

describe("resolveHookAgentSession", () => {
  it("gives an isolated run a fresh hook:<uuid> session by default", () => {
    expect(resolveHookAgentSession(hooksOf({}), { sessionMode: "isolated" }, "main", "u1")).toBe(
      "agent:main:hook:u1",
    );
    expect(
      resolveHookAgentSession(
        hooksOf({ defaultSessionKey: "hook:ci" }),
        { sessionMode: "isolated" },
        "ops",
        "u1",
      ),
    ).toBe("agent:ops:hook:ci:run:u1");
  });

  it("refuses a caller's key unless allowRequestSessionKey, and checks the prefixes", () => {
    expect(() =>
      resolveHookAgentSession(hooksOf({}), { sessionKey: "hook:x", sessionMode: "isolated" }, "main", "u"),
    ).toThrow(/allowRequestSessionKey/);
    const open = hooksOf({ allowRequestSessionKey: true, allowedSessionKeyPrefixes: ["Hook:"] });
    expect(
      resolveHookAgentSession(open, { sessionKey: "hook:x", sessionMode: "persistent" }, "main", "u"),
    ).toBe("agent:main:hook:x");
    expect(() =>
      resolveHookAgentSession(open, { sessionKey: "other", sessionMode: "isolated" }, "main", "u"),
    ).toThrow(/allowedSessionKeyPrefixes/);
    // A key naming another agent is re-scoped to the chosen one.
    expect(
      resolveHookAgentSession(
        open,
        { sessionKey: "agent:ops:hook:y", sessionMode: "persistent" },
        "main",
        "u",
      ),
    ).toBe("agent:main:hook:y");
  });

  it("needs a caller key and prefixes for persistent mode", () => {
    expect(() => resolveHookAgentSession(hooksOf({}), { sessionMode: "persistent" }, "main", "u")).toThrow(
      /persistent/,
    );
    expect(() =>
      resolveHookAgentSession(
        hooksOf({ allowRequestSessionKey: true }),
        { sessionKey: "hook:x", sessionMode: "persistent" },
        "main",
        "u",
      ),
    ).toThrow(/persistent/);
  });
});

describe("resolveHookWakeSession", () => {
  it("goes to the agent's main session unless an allowed key is named", () => {
    expect(resolveHookWakeSession(hooksOf({}), undefined, "ops")).toBe("agent:ops:main");
    expect(() => resolveHookWakeSession(hooksOf({}), "hook:x", "ops")).toThrow(/allowRequestSessionKey/);
    expect(resolveHookWakeSession(hooksOf({ allowRequestSessionKey: true }), "hook:x", "ops")).toBe(
      "agent:ops:hook:x",
    );
  });
});
