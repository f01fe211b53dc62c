import { z } from "zod";
import { openclawOnlyKeys } from "./openclaw-only.js";

/** `tools.web.fetch` (OpenClaw's docs/tools/web-fetch.md): limits and the SSRF policy of web_fetch. */
export const WebFetchConfigSchema = z.strictObject({
  enabled: z.boolean().optional().describe("Offer web_fetch (default true)."),
  maxChars: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("Default output characters (20000), capped by maxCharsCap."),
  maxCharsCap: z.number().int().positive().optional().describe("Hard cap on a call's maxChars (20000)."),
  maxResponseBytes: z
    .number()
    .int()
    .min(32_000)
    .max(10_000_000)
    .optional()
    .describe("Bytes read from a response before it is cut (750000)."),
  timeoutSeconds: z.number().positive().optional().describe("Whole request timeout (30)."),
  cacheTtlMinutes: z.number().min(0).optional().describe("How long a result is reused (15; 0 = no cache)."),
  maxRedirects: z
    .number()
    .int()
    .min(0)
    .max(20)
    .optional()
    .describe("Redirects followed, each re-checked (3)."),
  readability: z.boolean().optional().describe("Extract the main content with Readability (default true)."),
  userAgent: z.string().min(1).optional(),
  headers: z.record(z.string(), z.string()).optional().describe("Extra request headers."),
  ssrfPolicy: z
    .strictObject({
      allowedHostnames: z
        .array(z.string().min(1))
        .optional()
        .describe("Hosts (exact, or *.example.com) allowed to resolve to private addresses."),
      dangerouslyAllowPrivateNetwork: z
        .boolean()
        .optional()
        .describe("Allow every private/internal address (keep false)."),
      ...openclawOnlyKeys(["allowRfc2544BenchmarkRange", "allowIpv6UniqueLocalRange"]),
    })
    .optional(),
  ...openclawOnlyKeys(["provider", "useTrustedEnvProxy"]),
});

export type WebFetchConfig = z.infer<typeof WebFetchConfigSchema>;

export const WebToolsSchema = z.strictObject({
  fetch: WebFetchConfigSchema.optional(),
  ...openclawOnlyKeys(["search", "x_search"]),
});
