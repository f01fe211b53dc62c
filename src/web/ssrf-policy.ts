import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { OpenClawError } from "../errors.js";
import { privateAddressReason } from "./address-policy.js";

/** `tools.web.fetch.ssrfPolicy`, as OpenClaw names it. */
export interface SsrfPolicy {
  /** Exact hostnames (or `*.example.com` patterns) that may resolve to private addresses. */
  allowedHostnames?: readonly string[];
  /** Every private address allowed: for a gateway that must read its own LAN. */
  dangerouslyAllowPrivateNetwork?: boolean;
}

/** Resolves a hostname to its addresses; the test suite swaps it to make a name point at loopback. */
export type HostResolver = (hostname: string) => Promise<string[]>;

export const systemResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/** The address a request will connect to, checked: the connection is made to it and no other. */
export interface CheckedHost {
  hostname: string;
  address: string;
  family: 4 | 6;
}

/** Whether a hostname is one of `allowedHostnames` (exact, or `*.example.com`). */
export function hostnameAllowed(hostname: string, patterns: readonly string[]): boolean {
  const host = hostname.toLowerCase();
  return patterns.some((pattern) => {
    const wanted = pattern.toLowerCase();
    if (wanted.startsWith("*.")) return host.endsWith(wanted.slice(1)) && host.length > wanted.length - 1;
    return host === wanted;
  });
}

/**
 * Resolves `url`'s host and checks every address it has. All addresses are checked (not only the
 * first) so a name with one public and one private record cannot be used to reach the private one.
 */
export async function checkHost(url: URL, policy: SsrfPolicy, resolve: HostResolver): Promise<CheckedHost> {
  // URL keeps IPv6 literals bracketed.
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const allowed =
    policy.dangerouslyAllowPrivateNetwork === true ||
    hostnameAllowed(hostname, policy.allowedHostnames ?? []);
  let addresses: string[];
  if (isIP(hostname)) addresses = [hostname];
  else {
    try {
      addresses = await resolve(hostname);
    } catch (error) {
      throw new OpenClawError("OC_ERR_TOOL", `web_fetch: cannot resolve ${hostname}`, { cause: error });
    }
  }
  if (addresses.length === 0) throw new OpenClawError("OC_ERR_TOOL", `web_fetch: ${hostname} has no address`);
  if (!allowed) {
    for (const address of addresses) {
      const reason = privateAddressReason(address);
      if (reason) {
        throw new OpenClawError(
          "OC_ERR_EGRESS_DENIED",
          `web_fetch refused ${hostname}: it resolves to ${address}, a ${reason} address`,
          {
            hint: "private and internal addresses are refused; to allow this host add it to tools.web.fetch.ssrfPolicy.allowedHostnames",
            details: { hostname, address },
          },
        );
      }
    }
  }
  const address = addresses[0] as string;
  return { hostname, address, family: isIP(address) === 6 ? 6 : 4 };
}
