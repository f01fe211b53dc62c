import { describe, expect, it } from "vitest";
import { checkMcpServers } from "./mcp-checks.js";

describe("checkMcpServers", () => {
  it("warns about a server that is not running, with why and what to check", () => {
    const [running, failed] = checkMcpServers([
      { agentId: "main", server: "docs", state: "running", tools: 3 },
      { agentId: "main", server: "fs", state: "failed", error: "command not found" },
    ]);
    expect(running).toMatchObject({
      status: "ok",
      summary: "MCP server docs (agent main): running, 3 tool(s)",
    });
    expect(failed).toMatchObject({
      status: "warn",
      summary: expect.stringContaining(
        "MCP server fs (agent main) is not running, its tools are missing: command not found",
      ),
      fix: expect.stringContaining("mcp.servers.fs"),
    });
  });

  it("says nothing without servers", () => {
    expect(checkMcpServers(undefined)).toEqual([]);
    expect(checkMcpServers([])).toEqual([]);
  });
});
