import { z } from "zod";
import { openclawOnlyKeys } from "./openclaw-only.js";
import { BrowserToolSchema } from "./tools-browser.js";
import { WebToolsSchema } from "./tools-web.js";

const patterns = (what: string) =>
  z
    .array(z.string().min(1))
    .optional()
    .describe(
      `${what}: tool names, group:<name> (group:fs, group:runtime, …) or * wildcards, case-insensitive.`,
    );

/** OpenClaw's tool policy (docs/gateway/config-tools/tool-policy.md), at the top level or per agent. */
export const ToolPolicySchema = z
  .strictObject({
    profile: z
      .enum(["minimal", "coding", "messaging", "full"])
      .optional()
      .describe(
        "Base set before allow/deny: coding = files, exec, memory, subagents; messaging = message, subagents.",
      ),
    allow: patterns("Only these"),
    alsoAllow: patterns("Added to the profile"),
    deny: patterns("Never these (deny wins)"),
    browser: BrowserToolSchema,
    process: z
      .strictObject({
        maxPerAgent: z
          .number()
          .int()
          .min(1)
          .max(64)
          .optional()
          .describe("Background processes running at once per agent (default 8)."),
        maxRuntimeSeconds: z
          .number()
          .int()
          .min(1)
          .max(86_400)
          .optional()
          .describe("Longest life of a background process (default 1800)."),
      })
      .optional(),
    ...openclawOnlyKeys([
      "agentToAgent",
      "byProvider",
      "codeMode",
      "elevated",
      "exec",
      "loopDetection",
      "media",
      "sandbox",
      "sessions",
      "subagents",
    ]),
    web: WebToolsSchema.optional().describe("web_fetch: limits and its SSRF policy (tools.web.fetch)."),
  })
  .refine((policy) => policy.allow === undefined || policy.alsoAllow === undefined, {
    message: "allow and alsoAllow cannot both be set: merge alsoAllow into allow, or use profile + alsoAllow",
    path: ["alsoAllow"],
  });
