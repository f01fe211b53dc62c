import { z } from "zod";

/**
 * Keys OpenClaw's config accepts that this gateway does not implement. An `openclaw.json` written
 * for OpenClaw must still load, so such a key is declared in the schema (a typo of it still gets
 * a did-you-mean, `config schema` lists it) but marked: the loader removes it before validation
 * and warns once per key ("not supported here; ignored"), so nothing downstream ever sees it and
 * nothing is dropped silently. The lists come from OpenClaw's docs (docs/gateway/config-*.md,
 * configuration-reference.md); a key is listed only in the section where OpenClaw documents it.
 */
const ignoredSchemas = new WeakSet<z.core.$ZodType>();

/** Fields whose value in one of OpenClaw's forms (not this gateway's) is ignored the same way. */
const ignoredForms = new WeakMap<z.core.$ZodType, (value: unknown) => boolean>();

export function isOpenClawOnly(schema: z.core.$ZodType, value?: unknown): boolean {
  return ignoredSchemas.has(schema) || ignoredForms.get(schema)?.(value) === true;
}

/** Marks a field whose value, when `isOpenClawForm` says it is written OpenClaw's way, is ignored with a warning. */
export function openclawOnlyForm<T extends z.core.$ZodType>(
  schema: T,
  isOpenClawForm: (value: unknown) => boolean,
): T {
  ignoredForms.set(schema, isOpenClawForm);
  return schema;
}

/**
 * One schema for every ignored key: they are all the same field. A schema per key was three zod
 * instances each for about a hundred keys (1652 instances in all, now 1196), ≈ 2 ms of the
 * ≈ 27 ms every config-reading command spends building the schema.
 */
const IGNORED_FIELD = z
  .unknown()
  .optional()
  .describe("OpenClaw setting; not supported here; ignored (with a warning).");
ignoredSchemas.add(IGNORED_FIELD);

/** Schema fields for keys this gateway accepts from OpenClaw configs and ignores. */
export function openclawOnlyKeys(keys: readonly string[]): Record<string, z.ZodOptional<z.ZodUnknown>> {
  const fields: Record<string, z.ZodOptional<z.ZodUnknown>> = {};
  for (const key of keys) fields[key] = IGNORED_FIELD;
  return fields;
}

/** Top-level domains of OpenClaw's config (configuration-reference.md) this gateway has not built. */
export const OPENCLAW_ONLY_TOP_LEVEL = [
  "acp",
  "audit",
  "auth",
  "broadcast",
  "browser",
  "canvasHost",
  "cloudWorkers",
  "commands",
  "cron",
  "desktop",
  "diagnostics",
  "discovery",
  "env",
  "identity",
  "messages",
  "meta",
  "multiAgent",
  "plugins",
  "talk",
  "telemetry",
  "tts",
  "ui",
  "update",
  "wizard",
  "worktreeAcceleration",
  "worktreeRoot",
] as const;

/** Per-agent keys (agents.defaults and agents.entries.*, docs/gateway/config-agents/*.md). */
export const OPENCLAW_ONLY_AGENT = [
  "agentDir",
  "agentRuntime",
  "blockStreamingBreak",
  "blockStreamingChunk",
  "blockStreamingCoalesce",
  "blockStreamingDefault",
  "bootstrapMaxChars",
  "bootstrapTotalMaxChars",
  "compaction",
  "contextInjection",
  "contextLimits",
  "contextPruning",
  "cwd",
  "elevatedDefault",
  "embeddedAgent",
  "fastModeDefault",
  "groupChat",
  "humanDelay",
  "identity",
  "imageMaxDimensionPx",
  "imageModel",
  "imageQuality",
  "maxConcurrent",
  "mediaMaxMb",
  "memorySearch",
  "modelPolicy",
  "models",
  "params",
  "pdfMaxMb",
  "pdfMaxPages",
  "pdfModel",
  "reasoningDefault",
  "repoRoot",
  "skipBootstrap",
  "startupContext",
  "systemAgent",
  "thinkingDefault",
  "timeoutSeconds",
  "toolProgressDetail",
  "tts",
  "typingIntervalSeconds",
  "typingMode",
  "userTimezone",
  "utilityModel",
  "verboseDefault",
] as const;

/** `agents.*` keys beside defaults and the agents (config-agents/entries-and-multi-agent.md). */
export const OPENCLAW_ONLY_AGENTS = ["ownership"] as const;

/** `gateway.*` (config-gateway.md). `mode`, `auth`, `tls`, `controlUi`, `trustedProxies` exist here. */
export const OPENCLAW_ONLY_GATEWAY = [
  "allowRealIpFallback",
  "cliAgents",
  "nodes",
  "publicOrigin",
  "push",
  "reload",
  "remote",
  "roles",
  "tailscale",
  "terminal",
  "tools",
  "webchat",
] as const;

export const OPENCLAW_ONLY_GATEWAY_AUTH = ["allowTailscale", "identityScopes"] as const;
export const OPENCLAW_ONLY_RATE_LIMIT = ["exemptLoopback"] as const;
export const OPENCLAW_ONLY_CONTROL_UI = [
  "allowExternalEmbedUrls",
  "automaticallyFetchFavicons",
  "basePath",
  "communityInvite",
  "embedSandbox",
  "enabled",
  "environment",
  "experimental",
  "github",
  "root",
] as const;
