import { describe, expect, it } from "vitest";
import { globMatches, mcpToolName, passesToolFilter, serverPrefix, serverPrefixes } from "./tool-names.js";

describe("MCP tool names", () => {
  it("makes OpenClaw's provider-safe server prefix", () => {
    expect(serverPrefix("Outlook Graph")).toBe("outlook-graph");
    expect(serverPrefix("fs")).toBe("fs");
    expect(serverPrefix("9lives")).toBe("mcp-9lives");
    expect(serverPrefix("a".repeat(40))).toHaveLength(24);
  });

  it("suffixes prefixes that collide, so each name points at one server", () => {
    const prefixes = serverPrefixes(["Docs", "docs", "DOCS"]);
    expect([...prefixes.values()]).toEqual(["docs", "docs-2", "docs-3"]);
  });

  it("joins server and tool with __ within 64 safe characters", () => {
    expect(mcpToolName("everything", "get-sum")).toBe("everything__get-sum");
    expect(mcpToolName("fs", "read.file v2")).toBe("fs__read-file-v2");
    const long = mcpToolName("server", "t".repeat(100));
    expect(long).toHaveLength(64);
    expect(long).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it("filters tools by include and exclude globs, exclude winning", () => {
    const filter = { include: ["search_*", "get"], exclude: ["search_admin*"] };
    expect(passesToolFilter(filter, "search_docs")).toBe(true);
    expect(passesToolFilter(filter, "get")).toBe(true);
    expect(passesToolFilter(filter, "search_admin_users")).toBe(false);
    expect(passesToolFilter(filter, "delete")).toBe(false);
    expect(passesToolFilter(undefined, "anything")).toBe(true);
    expect(globMatches("a.b*", "axb")).toBe(false);
  });
});
