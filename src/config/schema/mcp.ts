import { z } from "zod";
import { CredentialSchema } from "./credentials.js";
import { openclawOnlyKeys } from "./openclaw-only.js";

/** OpenClaw's server settings this gateway does not implement (docs/gateway/config-extensions.md). */
const OPENCLAW_ONLY_SERVER = ["supportsParallelToolCalls", "codex"];
const OPENCLAW_ONLY_REMOTE = ["auth", "oauth", "sslVerify", "clientCert", "clientKey"];

/** An environment value or header: plain text, or a secret resolved in the gateway for that server only. */
const CredentialValues = z.record(z.string().min(1), CredentialSchema);

const ToolFilterSchema = z
  .strictObject({
    include: z
      .array(z.string().min(1))
      .optional()
      .describe("Only the MCP tools matching one of these (`*` globs)."),
    exclude: z
      .array(z.string().min(1))
      .optional()
      .describe("MCP tools hidden (`*` globs); wins over include."),
  })
  .describe("Which of the server's tools are offered (exact names or `*` globs).");

const CommonFields = {
  enabled: z.boolean().prefault(true).describe("false keeps the definition but offers none of its tools."),
  toolFilter: ToolFilterSchema.optional(),
  connectionTimeoutMs: z
    .number()
    .int()
    .min(100)
    .max(600_000)
    .prefault(30_000)
    .describe("How long the server may take to start and answer `initialize`."),
  requestTimeoutMs: z
    .number()
    .int()
    .min(100)
    .max(3_600_000)
    .prefault(60_000)
    .describe("A tool call that takes longer is cut off with a tool error."),
};

/** A local server: a program speaking MCP on its stdin/stdout, confined like the agent's `exec`. */
export const McpStdioServerSchema = z.strictObject({
  command: z.string().min(1).describe("Program to run (looked up on the gateway's PATH)."),
  args: z.array(z.string()).prefault([]),
  env: CredentialValues.optional().describe(
    "Environment of the server (and only it); values may be { $secret } references.",
  ),
  cwd: z
    .string()
    .min(1)
    .optional()
    .describe("Working directory, inside the agent's workspace (default: its root)."),
  workingDirectory: z.string().min(1).optional().describe("OpenClaw's other name for cwd."),
  ...CommonFields,
  ...openclawOnlyKeys(OPENCLAW_ONLY_SERVER),
});

/** A remote server over streamable HTTP (or the older SSE transport). */
export const McpRemoteServerSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" }),
  // OpenClaw's default when `transport` is omitted (docs/cli/mcp/transports.md).
  transport: z.enum(["streamable-http", "sse"]).prefault("sse"),
  headers: CredentialValues.optional().describe("Request headers; values may be { $secret } references."),
  ...CommonFields,
  ...openclawOnlyKeys([...OPENCLAW_ONLY_SERVER, ...OPENCLAW_ONLY_REMOTE]),
});

export const McpServerSchema = z.union([McpStdioServerSchema, McpRemoteServerSchema]);

export const McpSchema = z.strictObject({
  servers: z
    .record(z.string().min(1).max(64), McpServerSchema)
    .prefault({})
    .describe("MCP servers whose tools agents may use (allowed by `bundle-mcp` or `<server>__*`)."),
  sessionIdleTtlMs: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Stop an agent's server after this long unused; unset or 0 keeps it while the agent runs."),
});

export type McpServerConfig = z.infer<typeof McpServerSchema>;
export type McpStdioServerConfig = z.infer<typeof McpStdioServerSchema>;
export type McpRemoteServerConfig = z.infer<typeof McpRemoteServerSchema>;
export type McpConfig = z.infer<typeof McpSchema>;
