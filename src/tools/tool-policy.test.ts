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

describe("MCP tools in policies", () => {
  const mcp = (name: string, server: string) => ({ name, optIn: true, mcpServer: server }) as Tool;
  const WITH_MCP = [tool("read"), mcp("fs__read_file", "fs"), mcp("mail__send", "mail")];

  it("offers none without a policy that names them", () => {
    expect(names(selectTools(undefined, WITH_MCP))).toEqual(["read"]);
    expect(names(selectTools(undefined, WITH_MCP, [{ profile: "coding" }]))).toEqual(["read"]);
  });

  it("offers all by bundle-mcp, one server's by its glob, in both forms", () => {
    expect(names(selectTools(undefined, WITH_MCP, [{ allow: ["bundle-mcp"] }]))).toEqual([
      "fs__read_file",
      "mail__send",
    ]);
    expect(names(selectTools(undefined, WITH_MCP, [{ profile: "coding", alsoAllow: ["fs__*"] }]))).toEqual([
      "read",
      "fs__read_file",
    ]);
    expect(names(selectTools(["read", "fs__*"], WITH_MCP))).toEqual(["read", "fs__read_file"]);
    expect(names(selectTools(["bundle-mcp"], WITH_MCP))).toEqual(["fs__read_file", "mail__send"]);
  });

  it("lets deny and a narrowing global policy take them away", () => {
    expect(names(selectTools(undefined, WITH_MCP, [{ allow: ["bundle-mcp"], deny: ["mail__*"] }]))).toEqual([
      "fs__read_file",
    ]);
    expect(names(selectTools(["bundle-mcp"], WITH_MCP, [{ deny: ["bundle-mcp"] }]))).toEqual([]);
  });

  it("never selects a built-in tool by bundle-mcp", () => {
    expect(names(selectTools(["bundle-mcp"], [tool("read"), tool("exec")]))).toEqual([]);
  });
});
