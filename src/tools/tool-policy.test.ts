import { describe, expect, it } from "vitest";
import { selectTools } from "./index.js";
import type { Tool } from "./tool.js";
import { applyToolPolicy } from "./tool-policy.js";

const tool = (name: string, optIn = false) => ({ name, optIn }) as Tool;
const TOOLS = [
  tool("read"),
  tool("write"),
  tool("exec"),
  tool("memory_search"),
  tool("current_time"),
  tool("message", true),
  tool("canvas"),
];
const names = (tools: readonly Tool[]) => tools.map((selected) => selected.name);

describe("OpenClaw tool policies", () => {
  it("selects a profile's groups", () => {
    expect(names(applyToolPolicy({ profile: "coding" }, TOOLS))).toEqual([
      "read",
      "write",
      "exec",
      "memory_search",
    ]);
    expect(names(applyToolPolicy({ profile: "messaging" }, TOOLS))).toEqual(["message"]);
    expect(names(applyToolPolicy({ profile: "minimal" }, TOOLS))).toEqual([]);
    expect(names(applyToolPolicy({ profile: "full" }, TOOLS))).toHaveLength(TOOLS.length);
  });

  it("lets deny win, with groups and case-insensitive wildcards", () => {
    expect(names(applyToolPolicy({ profile: "coding", deny: ["group:runtime", "MEMORY_*"] }, TOOLS))).toEqual(
      ["read", "write"],
    );
    expect(names(applyToolPolicy({ allow: ["*"], deny: ["write"] }, TOOLS))).not.toContain("write");
  });

  it("narrows to allow, and adds alsoAllow to the profile", () => {
    expect(names(applyToolPolicy({ allow: ["read", "message"] }, TOOLS))).toEqual(["read", "message"]);
    expect(names(applyToolPolicy({ profile: "messaging", alsoAllow: ["current_time"] }, TOOLS))).toEqual([
      "current_time",
      "message",
    ]);
  });

  it("expands a limited profile with allow, as OpenClaw's example does", () => {
    expect(
      names(applyToolPolicy({ profile: "messaging", allow: ["canvas"], deny: ["message"] }, TOOLS)),
    ).toEqual(["canvas"]);
  });

  it("leaves opt-in tools out unless a policy names them, as with no policy", () => {
    expect(names(applyToolPolicy({ deny: ["canvas"] }, TOOLS))).toEqual([
      "read",
      "write",
      "exec",
      "memory_search",
      "current_time",
    ]);
  });

  it("narrows an agent's own selection by the global policy", () => {
    expect(names(selectTools(["read", "exec", "message"], TOOLS, [{ deny: ["exec"] }]))).toEqual([
      "read",
      "message",
    ]);
    expect(names(selectTools(undefined, TOOLS, [{ profile: "coding" }, { deny: ["group:fs"] }]))).toEqual([
      "exec",
      "memory_search",
    ]);
    expect(names(selectTools(undefined, TOOLS, [{ allow: ["read"] }]))).toEqual(["read"]);
  });
});
