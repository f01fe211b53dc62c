import { describe, expect, it } from "vitest";
import { between, paths } from "./testing/boundary-fixtures.js";

const withServers = (servers: Record<string, unknown>) => ({ mcp: { servers } });
const token = { $secret: "other" };

describe("weakeningChanges: MCP servers", () => {
  it("holds a new server that receives a secret, not one without", () => {
    expect(
      between({}, withServers({ docs: { url: "https://a.example/mcp", headers: { Authorization: token } } })),
    ).toEqual([
      {
        path: "mcp.servers.docs",
        description: "the MCP server now receives secret(s) other (https://a.example/mcp)",
      },
    ]);
    expect(between({}, withServers({ fs: { command: "mcp-server-filesystem", args: ["."] } }))).toEqual([]);
  });

  it("holds a server holding a secret that is pointed elsewhere, not one left as it was", () => {
    const before = withServers({ tool: { command: "good-server", env: { KEY: token } } });
    expect(
      paths(between(before, withServers({ tool: { command: "/bin/sh", env: { KEY: token } } }))),
    ).toEqual(["mcp.servers.tool"]);
    expect(
      between(
        before,
        withServers({ tool: { command: "good-server", env: { KEY: token }, requestTimeoutMs: 5000 } }),
      ),
    ).toEqual([]);
  });
});
