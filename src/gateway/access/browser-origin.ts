import type { IncomingHttpHeaders } from "node:http";

export type OriginVerdict =
  | { ok: true }
  | { ok: false; reason: "cross_site_request" | "origin_not_allowed"; message: string };

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

/** Host name and port (the scheme's default when none is written) of an origin. */
function originAuthority(origin: string): { host: string; port: string } | undefined {
  try {
    const url = new URL(origin);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    return { host: url.hostname.toLowerCase(), port: url.port || (url.protocol === "https:" ? "443" : "80") };
  } catch {
    return undefined;
  }
}

/**
 * Whether the page's origin is the host the request was sent to. The scheme is not compared: one
 * port speaks one scheme, and behind a TLS-terminating proxy the page is https while this
 * gateway is not. A Host without a port (a proxy that forwards the public name) matches by name.
 */
function sameAuthority(origin: string, host: string): boolean {
  const page = originAuthority(origin);
  if (!page) return false;
  const lower = host.trim().toLowerCase();
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(lower);
  if (!match?.[1]) return false;
  const name = match[1];
  if (name !== page.host && name !== `[${page.host}]` && `[${name}]` !== page.host) return false;
  return match[2] === undefined || match[2] === page.port;
}

/**
 * Whether a browser may make this request. Credentials are never cookies here, so a cross-site
 * page cannot authenticate, but it can still send: a `no-cors` POST runs a state-changing route
 * in auth mode "none", and behind a cookie-authenticating proxy in any mode. So a request that a
 * browser marks as cross-site (`Sec-Fetch-Site`), or whose `Origin` is neither this gateway's
 * own nor listed in `gateway.controlUi.allowedOrigins`, is refused. Requests without those
 * headers do not come from a page's script (curl, SDKs, the CLI) and are judged by auth alone.
 */
export function judgeBrowserOrigin(
  headers: IncomingHttpHeaders,
  options: { allowedOrigins: readonly string[] },
): OriginVerdict {
  const fetchSite = single(headers, "sec-fetch-site")?.trim().toLowerCase();
  const origin = single(headers, "origin");
  if (origin !== undefined) {
    if (options.allowedOrigins.includes(origin.replace(/\/$/, ""))) return { ok: true };
    const host = single(headers, "host");
    const sameOrigin = host !== undefined && sameAuthority(origin, host);
    if (!sameOrigin) {
      return {
        ok: false,
        reason: "origin_not_allowed",
        message: "requests from this browser origin are refused",
      };
    }
    // An Origin equal to our own is not the whole story: a cross-site page cannot forge Origin,
    // so a same-origin Origin means the request did come from a page of this gateway.
    return { ok: true };
  }
  if (fetchSite === "cross-site") {
    return {
      ok: false,
      reason: "cross_site_request",
      message: "cross-site browser requests are refused",
    };
  }
  return { ok: true };
}
