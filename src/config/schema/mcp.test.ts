import { describe, expect, it } from "vitest";
import { McpSchema } from "./mcp.js";

describe("mcp config", () => {
  it("takes stdio and remote servers with OpenClaw's defaults", () => {
    const parsed = McpSchema.parse({
      servers: {
        fs: { command: "mcp-server-filesystem", args: ["."], env: { TOKEN: { $secret: "fs-token" } } },
        docs: { url: "https://example.com/mcp", headers: { Authorization: "Bearer x" } },
      },
      sessionIdleTtlMs: 3_600_000,
    });
    expect(parsed.servers.fs).toMatchObject({
      enabled: true,
      connectionTimeoutMs: 30_000,
      requestTimeoutMs: 60_000,
    });
    // OpenClaw's default transport is SSE when none is named.
    expect(parsed.servers.docs).toMatchObject({ transport: "sse" });
  });

  it("refuses a server that is neither, and a non-http url", () => {
    expect(McpSchema.safeParse({ servers: { x: { args: [] } } }).success).toBe(false);
    expect(McpSchema.safeParse({ servers: { x: { url: "ftp://example.com" } } }).success).toBe(false);
    expect(McpSchema.safeParse({ servers: { x: { url: "https://e.com", transport: "ws" } } }).success).toBe(
      false,
    );
  });

  it("accepts OpenClaw-only server settings (ignored with a warning by the loader)", () => {
    const parsed = McpSchema.safeParse({
      servers: { docs: { url: "https://example.com/mcp", auth: "oauth", supportsParallelToolCalls: true } },
    });
    expect(parsed.success).toBe(true);
  });
});
