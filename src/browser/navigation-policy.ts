import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import { hostnameAllowed, privateAddressReason } from "../web/index.js";

/**
 * Where the browser may go: web_fetch's SSRF policy (src/web), applied to every request. A page is untrusted code, so every request it makes (navigation,
 * script, image, fetch) is checked, not only the URL the model asked for.
 */
export interface NavigationPolicy {
  /** Hostnames (exact or `*.example.com`, or IP literals) allowed even when they resolve to a private address. */
  allowedHostnames?: readonly string[];
  /** Allows every private, loopback and link-local address: for a trusted network only. */
  dangerouslyAllowPrivateNetwork?: boolean;
}

export type NavigationVerdict = { allowed: true } | { allowed: false; reason: string };

export type HostLookup = (hostname: string) => Promise<string[]>;

const defaultLookup: HostLookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * Whether an IP address is one a page must not reach by default: web_fetch's own rule (one SSRF
 * policy for both tools), so every non-global address and the IPv6 forms carrying one are refused.
 */
export function isRefusedAddress(address: string): boolean {
  return privateAddressReason(address.replace(/^\[|\]$/g, "").toLowerCase()) !== undefined;
}

// Schemes that carry no network request of their own.
const LOCAL_SCHEMES = new Set(["about:", "data:", "blob:"]);

/** Decides one request: resolves its host and refuses it when any address is refused. */
export async function checkNavigation(
  rawUrl: string,
  policy: NavigationPolicy,
  lookup: HostLookup = defaultLookup,
): Promise<NavigationVerdict> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { allowed: false, reason: "not a valid URL" };
  }
  if (LOCAL_SCHEMES.has(url.protocol)) return { allowed: true };
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { allowed: false, reason: `scheme ${url.protocol} is not allowed (http and https only)` };
  }
  const verdict = await resolveDestination(url.hostname, policy, lookup);
  return verdict.allowed ? { allowed: true } : verdict;
}

export type DestinationVerdict = { allowed: true; address: string } | { allowed: false; reason: string };

/**
 * Resolves a host and says which address to connect to: the connection goes to the address that
 * was checked, so a DNS answer that changes between check and connect (rebinding) gains nothing.
 */
export async function resolveDestination(
  rawHostname: string,
  policy: NavigationPolicy,
  lookup: HostLookup = defaultLookup,
): Promise<DestinationVerdict> {
  const hostname = rawHostname.replace(/^\[|\]$/g, "").toLowerCase();
  const trusted =
    policy.dangerouslyAllowPrivateNetwork === true ||
    hostnameAllowed(hostname, policy.allowedHostnames ?? []);
  let addresses: string[];
  try {
    addresses = isIP(hostname) ? [hostname] : await lookup(hostname);
  } catch {
    return { allowed: false, reason: `${hostname} does not resolve` };
  }
  const [first] = addresses;
  if (first === undefined) return { allowed: false, reason: `${hostname} does not resolve` };
  if (trusted) return { allowed: true, address: first };
  const blocked = addresses.find(isRefusedAddress);
  if (blocked !== undefined) {
    return {
      allowed: false,
      reason: `${hostname} resolves to ${blocked}, a private/loopback/link-local address (tools.browser.ssrfPolicy)`,
    };
  }
  return { allowed: true, address: first };
}
