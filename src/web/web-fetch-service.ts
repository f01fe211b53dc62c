import type { WebFetchConfig } from "../config/schema/tools-web.js";
import { OpenClawError } from "../errors.js";
import { FetchCache } from "./fetch-cache.js";
import { safeFetch } from "./safe-fetch.js";
import { type HostResolver, systemResolver } from "./ssrf-policy.js";
import { wrapUntrusted } from "./untrusted-content.js";

export const WEB_FETCH_DEFAULTS = {
  maxChars: 20_000,
  maxCharsCap: 20_000,
  maxResponseBytes: 750_000,
  timeoutSeconds: 30,
  cacheTtlMinutes: 15,
  maxRedirects: 3,
  userAgent:
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
} as const;

export interface WebFetchResult {
  url: string;
  finalUrl: string;
  status: number;
  contentType: string;
  title?: string;
  extractor: string;
  externalContent: true;
  truncated: boolean;
  text: string;
  cached?: true;
}

export interface WebFetchServiceOptions {
  /** `tools.web.fetch` in force (read on every call: a reload applies at once). */
  config: (agentId: string) => WebFetchConfig | undefined;
  resolve?: HostResolver;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

/** The gateway side of web_fetch: the egress, its SSRF policy and logs are here, not in the agent's thread. */
export function webFetchService(options: WebFetchServiceOptions) {
  const cache = new FetchCache<WebFetchResult>();
  const resolve = options.resolve ?? systemResolver;
  return async (call: { agentId: string; operation: string; input: unknown; signal: AbortSignal }) => {
    if (call.operation !== "fetch") {
      throw new OpenClawError("OC_ERR_BAD_REQUEST", `the web service has no operation ${call.operation}`);
    }
    const config = options.config(call.agentId) ?? {};
    if (config.enabled === false) {
      throw new OpenClawError("OC_ERR_TOOL", "web_fetch is disabled", {
        hint: "set tools.web.fetch.enabled to true",
      });
    }
    const input = (call.input ?? {}) as { url?: unknown; maxChars?: unknown };
    if (typeof input.url !== "string")
      throw new OpenClawError("OC_ERR_TOOL_INPUT", "web_fetch needs a string `url`");
    const cap = config.maxCharsCap ?? WEB_FETCH_DEFAULTS.maxCharsCap;
    const asked =
      typeof input.maxChars === "number" && input.maxChars > 0 ? Math.floor(input.maxChars) : undefined;
    const maxChars = Math.min(asked ?? config.maxChars ?? WEB_FETCH_DEFAULTS.maxChars, cap);
    const key = `${maxChars} ${input.url}`;
    const hit = cache.get(key);
    if (hit) return { ...hit, cached: true };
    const started = Date.now();
    try {
      const page = await safeFetch(input.url, {
        policy: config.ssrfPolicy ?? {},
        resolve,
        maxRedirects: config.maxRedirects ?? WEB_FETCH_DEFAULTS.maxRedirects,
        maxResponseBytes: config.maxResponseBytes ?? WEB_FETCH_DEFAULTS.maxResponseBytes,
        timeoutSeconds: config.timeoutSeconds ?? WEB_FETCH_DEFAULTS.timeoutSeconds,
        headers: {
          ...config.headers,
          "user-agent": config.userAgent ?? WEB_FETCH_DEFAULTS.userAgent,
          accept: "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
          "accept-language": "en-US,en;q=0.9",
        },
        signal: call.signal,
      });
      const raw = page.body.toString("utf8");
      const extracted =
        config.readability === false
          ? { text: raw, extractor: "raw" as const }
          : // Loaded on first use: the DOM, Readability and turndown are not start-up work of the gateway.
            (await import("./extract.js")).extractContent(raw, page.contentType);
      const cut = extracted.text.length > maxChars;
      const result: WebFetchResult = {
        url: input.url,
        finalUrl: page.finalUrl,
        status: page.status,
        contentType: page.contentType.slice(0, 256),
        ...("title" in extracted && extracted.title ? { title: extracted.title.slice(0, 256) } : {}),
        extractor: extracted.extractor,
        externalContent: true,
        truncated: cut || page.truncated,
        text: wrapUntrusted(extracted.text.slice(0, maxChars), page.finalUrl),
      };
      options.log?.("web_fetch", {
        agentId: call.agentId,
        url: page.finalUrl,
        status: page.status,
        tookMs: Date.now() - started,
      });
      cache.set(key, result, (config.cacheTtlMinutes ?? WEB_FETCH_DEFAULTS.cacheTtlMinutes) * 60_000);
      return result;
    } catch (error) {
      options.log?.("web_fetch refused or failed", {
        agentId: call.agentId,
        url: input.url,
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  };
}
