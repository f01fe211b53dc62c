import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/**
 * Where the browser may go: the same rules as web_fetch's SSRF policy (kept self-contained here
 * until the two are unified). A page is untrusted code, so every request it makes (navigation,
 * script, image, fetch) is checked, not only the URL the model asked for.
 */
export interface NavigationPolicy {
  /** Exact hostnames (or IP literals) allowed even when they resolve to a private address. */
  allowedHostnames?: readonly string[];
  /** Allows every private, loopback and link-local address: for a trusted network only. */
  dangerouslyAllowPrivateNetwork?: boolean;
}

export type NavigationVerdict = { allowed: true } | { allowed: false; reason: string };

export type HostLookup = (hostname: string) => Promise<string[]>;

const defaultLookup: HostLookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

// Loopback, private, link-local (incl. the cloud metadata 169.254.169.254), CGNAT, benchmark,
// multicast/reserved, and IPv6's loopback, unique-local (incl. fd00:ec2::254) and link-local.
const refused = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  refused.addSubnet(network, prefix, "ipv4");
}
refused.addAddress("::", "ipv6");
refused.addAddress("::1", "ipv6");
refused.addSubnet("fc00::", 7, "ipv6");
refused.addSubnet("fe80::", 10, "ipv6");
refused.addSubnet("ff00::", 8, "ipv6");

/** Whether an IP address is one a page must not reach by default. */
export function isRefusedAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").toLowerCase();
  // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped?.[1]) return isRefusedAddress(mapped[1]);
  const family = isIP(bare);
  if (family === 0) return true;
  return refused.check(bare, family === 4 ? "ipv4" : "ipv6");
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
  const allowedHostnames = (policy.allowedHostnames ?? []).map((name) => name.toLowerCase());
  const trusted = policy.dangerouslyAllowPrivateNetwork === true || allowedHostnames.includes(hostname);
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
