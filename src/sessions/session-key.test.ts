import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  agentIdOfSessionKey,
  isEphemeralSessionKey,
  nodeIdOfSessionKey,
  parseSessionKey,
  sessionKeys,
  validateSessionKey,
} from "./session-key.js";

describe("session keys", () => {
  it("builds every kind and reads its agent back", () => {
    expect(sessionKeys.main("research")).toBe("agent:research:main");
    expect(sessionKeys.openAiUser("main", "alice")).toBe("agent:main:openai:alice");
    expect(sessionKeys.openAiRequest("main", "r1")).toBe("agent:main:openai:request:r1");
    expect(sessionKeys.subagent("analyzer", "r2")).toBe("agent:analyzer:subagent:r2");
    expect(sessionKeys.node("main", "dev-1")).toBe("agent:main:node:dev-1");
    for (const key of [sessionKeys.main("a"), sessionKeys.subagent("a", "x"), sessionKeys.node("a", "n")]) {
      expect(agentIdOfSessionKey(key)).toBe("a");
    }
    expect(isEphemeralSessionKey(sessionKeys.openAiRequest("main", "r1"))).toBe(true);
    expect(isEphemeralSessionKey(sessionKeys.openAiUser("main", "alice"))).toBe(false);
  });

  it("reads a node's own key, and nothing else as one", () => {
    expect(nodeIdOfSessionKey("agent:main:node:dev-1")).toBe("dev-1");
    expect(nodeIdOfSessionKey("agent:main:node:dev-1:canvas")).toBe("dev-1");
    expect(nodeIdOfSessionKey("agent:main:node:")).toBeUndefined();
    expect(nodeIdOfSessionKey("agent:main:nodes:dev-1")).toBeUndefined();
    expect(nodeIdOfSessionKey("node:dev-1")).toBeUndefined();
  });

  it("names no agent for a key in another form", () => {
    for (const key of ["s1", "agent:", "agent::x", "Agent:main:x", "main"]) {
      expect(parseSessionKey(key), key).toBeUndefined();
    }
  });

  it("property: every built key parses back to its agent and rest", () => {
    const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$/);
    fc.assert(
      fc.property(id, fc.string({ minLength: 1 }), (agentId, runId) => {
        expect(parseSessionKey(sessionKeys.subagent(agentId, runId))).toEqual({
          agentId,
          rest: `subagent:${runId}`,
        });
      }),
    );
  });

  it("refuses empty keys, control characters and overlong keys", () => {
    for (const bad of ["", "  ", "a\nb", "a\u0000", "x".repeat(513), 42]) {
      expect(() => validateSessionKey(bad)).toThrow(expect.objectContaining({ code: "OC_ERR_BAD_REQUEST" }));
    }
    expect(validateSessionKey("agent:main:ok")).toBe("agent:main:ok");
  });
});
