import { OpenClawError } from "../errors.js";
import { pinnedGet, readCapped } from "./pinned-request.js";
import { checkHost, type HostResolver, type SsrfPolicy } from "./ssrf-policy.js";

export interface SafeFetchOptions {
  policy: SsrfPolicy;
  resolve: HostResolver;
  maxRedirects: number;
  maxResponseBytes: number;
  timeoutSeconds: number;
  headers: Record<string, string>;
  signal?: AbortSignal;
}

export interface FetchedPage {
  finalUrl: string;
  status: number;
  contentType: string;
  body: Buffer;
  /** The body was cut at maxResponseBytes. */
  truncated: boolean;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function parseFetchUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OpenClawError("OC_ERR_TOOL_INPUT", `web_fetch: not a URL: ${raw.slice(0, 200)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new OpenClawError("OC_ERR_TOOL_INPUT", `web_fetch fetches http(s) only, not ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw new OpenClawError("OC_ERR_TOOL_INPUT", "web_fetch: URLs with credentials are refused");
  }
  return url;
}

/**
 * GET with the SSRF policy on every hop: redirects are followed here, one at a time, and each
 * target is resolved and checked before anything is sent to it.
 */
export async function safeFetch(rawUrl: string, options: SafeFetchOptions): Promise<FetchedPage> {
  const timeout = AbortSignal.timeout(options.timeoutSeconds * 1000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let url = parseFetchUrl(rawUrl);
  for (let hop = 0; ; hop++) {
    const host = await checkHost(url, options.policy, options.resolve);
    signal.throwIfAborted();
    let response: Awaited<ReturnType<typeof pinnedGet>>;
    try {
      response = await pinnedGet(url, host, options.headers, signal);
    } catch (error) {
      throw fetchFailed(url, error, timeout);
    }
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (REDIRECT_STATUSES.has(status) && location) {
      response.destroy();
      if (hop >= options.maxRedirects) {
        throw new OpenClawError("OC_ERR_TOOL", `web_fetch: more than ${options.maxRedirects} redirects`, {
          hint: "fetch the last URL directly, or raise tools.web.fetch.maxRedirects",
          details: { lastUrl: url.href, location },
        });
      }
      url = parseFetchUrl(new URL(location, url).href);
      continue;
    }
    try {
      const { body, truncated } = await readCapped(response, options.maxResponseBytes);
      return {
        finalUrl: url.href,
        status,
        contentType: String(response.headers["content-type"] ?? ""),
        body,
        truncated,
      };
    } catch (error) {
      throw fetchFailed(url, error, timeout);
    }
  }
}

function fetchFailed(url: URL, error: unknown, timeout: AbortSignal): OpenClawError {
  if (timeout.aborted) {
    return new OpenClawError("OC_ERR_TOOL", `web_fetch: ${url.host} did not answer in time`, {
      hint: "try again later or raise tools.web.fetch.timeoutSeconds",
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new OpenClawError("OC_ERR_TOOL", `web_fetch: ${url.host}: ${message}`, { cause: error });
}
