import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";
import proxyAddr from "proxy-addr";
import { OpenClawError } from "../errors.js";

export interface TrustedProxyPolicy {
  /** IP addresses and CIDR ranges (IPv4 and IPv6) of the proxies allowed to vouch for a user. */
  trustedProxies: string[];
  /** Header carrying the authenticated user, set by the proxy. */
  userHeader: string;
  /** Headers the proxy always sets; their absence means the request bypassed part of the proxy. */
  requiredHeaders: string[];
  /** When set, only these users (exact, case-sensitive match) are accepted; empty admits nobody. */
  allowUsers?: string[];
  /** Whether a proxy on this host (a loopback socket address) may vouch for users. */
  allowLoopback: boolean;
}

export type TrustedProxyRefusal =
  | "untrusted_source"
  | "missing_forwarded_for"
  | "invalid_forwarded_for"
  | "loopback_client"
  | "loopback_proxy"
  | "missing_required_header"
  | "missing_user"
  | "ambiguous_user"
  | "user_not_allowed";

export type ProxyDecision =
  | { ok: true; user: string; clientAddress: string }
  | { ok: false; reason: TrustedProxyRefusal; message: string };

export interface ProxyRequest {
  /** `socket.remoteAddress`: the only address not taken from a header. */
  socketAddress: string;
  headers: IncomingHttpHeaders;
}

export interface CompiledTrustedProxyPolicy {
  evaluate(input: ProxyRequest): ProxyDecision;
  isTrusted(address: string): boolean;
}

// BlockList parses addresses itself, so expanded (`0:0:0:0:0:0:0:1`) and IPv4-mapped
// (`::ffff:127.0.0.1`) spellings are caught too, where a string prefix test would miss them.
const loopbackAddresses = new BlockList();
loopbackAddresses.addSubnet("127.0.0.0", 8, "ipv4");
loopbackAddresses.addAddress("::1", "ipv6");

function isLoopbackIp(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && loopbackAddresses.check(address, family === 4 ? "ipv4" : "ipv6");
}

/**
 * Strict IP literal: `net.isIP` refuses the shorthand forms (`127.1`, `0x7f.0.0.1`) that
 * ipaddr.js, under proxy-addr, would read as loopback; zone ids mean nothing off-host.
 */
function isPlainIp(value: string): boolean {
  return isIP(value) !== 0 && !value.includes("%");
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function compileTrustEntries(entries: string[]): (address: string, index: number) => boolean {
  if (entries.length === 0) {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "trusted-proxy auth has no trusted proxies", {
      hint: "list the IP address or CIDR range of your reverse proxy in trustedProxies, e.g. 10.0.0.5 or 10.0.0.0/24",
    });
  }
  const normalized = entries.map((entry) => {
    const trimmed = entry.trim();
    const slash = trimmed.indexOf("/");
    const address = slash === -1 ? trimmed : trimmed.slice(0, slash);
    const prefix = slash === -1 ? undefined : trimmed.slice(slash + 1);
    const max = isIP(address) === 4 ? 32 : 128;
    // A /0 would trust every address on the internet to vouch for a user.
    const validPrefix = prefix === undefined || (/^\d{1,3}$/.test(prefix) && +prefix >= 1 && +prefix <= max);
    if (!isPlainIp(address) || !validPrefix) {
      throw new OpenClawError(
        "OC_ERR_BAD_REQUEST",
        `trusted proxy entry ${JSON.stringify(entry)} is not an IP address or CIDR range`,
        {
          hint: "write an address (10.0.0.5, fd00::5) or a CIDR range with a prefix of at least 1 (10.0.0.0/24, fd00::/64); names such as 'loopback' are not accepted",
          details: { entry },
        },
      );
    }
    return trimmed;
  });
  try {
    return proxyAddr.compile(normalized);
  } catch (error) {
    throw new OpenClawError(
      "OC_ERR_BAD_REQUEST",
      `trusted proxy list is invalid: ${(error as Error).message}`,
      {
        hint: "write each entry as an IP address or a CIDR range",
        cause: error,
      },
    );
  }
}

function checkHeaderName(name: string, field: string): string {
  if (!HEADER_NAME.test(name)) {
    throw new OpenClawError(
      "OC_ERR_BAD_REQUEST",
      `${field} ${JSON.stringify(name)} is not a valid header name`,
      {
        hint: "use the header name the proxy sets, e.g. X-Forwarded-User",
        details: { field, name },
      },
    );
  }
  return name;
}

/** Every value sent under `name`, whatever the case of the key it is stored under. */
function headerValues(headers: IncomingHttpHeaders, name: string): string[] {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    if (Array.isArray(value)) values.push(...value);
    else values.push(value);
  }
  return values;
}

const refuse = (reason: TrustedProxyRefusal, message: string): ProxyDecision => ({
  ok: false,
  reason,
  message,
});

/**
 * Compiles a trusted-proxy policy once (at config load) so a bad entry is reported then, not on
 * the first request. Refusal messages name headers and reasons but never header values: they are
 * logged, and the values are attacker-controlled or identify a user.
 */
export function compileTrustedProxyPolicy(policy: TrustedProxyPolicy): CompiledTrustedProxyPolicy {
  const trust = compileTrustEntries(policy.trustedProxies);
  const userHeader = checkHeaderName(policy.userHeader, "userHeader");
  const requiredHeaders = policy.requiredHeaders.map((name) =>
    checkHeaderName(name, "requiredHeaders entry"),
  );
  const allowUsers = policy.allowUsers === undefined ? undefined : new Set(policy.allowUsers);
  const allowLoopback = policy.allowLoopback;

  const isTrusted = (address: string): boolean => isPlainIp(address) && trust(address, 0);

  function evaluate({ socketAddress, headers }: ProxyRequest): ProxyDecision {
    if (!isTrusted(socketAddress)) {
      return refuse(
        "untrusted_source",
        `connection from ${socketAddress || "an unknown address"} is not from a trusted proxy; its forwarded headers were ignored`,
      );
    }
    if (isLoopbackIp(socketAddress) && !allowLoopback) {
      // Any local process can reach a loopback listener and forge the user header.
      return refuse(
        "loopback_proxy",
        `connection from loopback address ${socketAddress} may not act as a proxy unless allowLoopback is set`,
      );
    }

    const forwardedFor = headerValues(headers, "x-forwarded-for").join(",");
    if (forwardedFor.trim() === "") {
      return refuse("missing_forwarded_for", "request from a trusted proxy has no X-Forwarded-For header");
    }
    const chain = forwardedFor.split(",").map((element) => element.trim());
    if (!chain.every(isPlainIp)) {
      return refuse("invalid_forwarded_for", "X-Forwarded-For header has an entry that is not an IP address");
    }
    // proxy-addr walks the chain from the right, skipping hops that are themselves trusted
    // proxies; it only reads the socket address and this (already validated) header.
    const request = {
      socket: { remoteAddress: socketAddress },
      headers: { "x-forwarded-for": chain.join(",") },
    } as unknown as IncomingMessage;
    const clientAddress = proxyAddr(request, trust);
    if (isLoopbackIp(clientAddress)) {
      // Loopback is what a forged chain would claim, to borrow the trust given to connections
      // from the gateway's own host; a real proxied client is never on the proxy's loopback.
      return refuse("loopback_client", "X-Forwarded-For resolves to a loopback client address");
    }

    for (const name of requiredHeaders) {
      if (headerValues(headers, name).every((value) => value.trim() === "")) {
        return refuse("missing_required_header", `required header ${name} is missing or blank`);
      }
    }

    const userValues = headerValues(headers, userHeader).filter((value) => value.trim() !== "");
    const [first] = userValues;
    if (first === undefined) {
      return refuse("missing_user", `user header ${userHeader} is missing or blank`);
    }
    // Two values (sent twice, or joined with a comma) mean a client-supplied header got past the
    // proxy next to the proxy's own: neither can be trusted to be the one the proxy set.
    if (userValues.length > 1 || first.includes(",")) {
      return refuse("ambiguous_user", `user header ${userHeader} has more than one value`);
    }
    const user = first.trim();
    if (allowUsers !== undefined && !allowUsers.has(user)) {
      return refuse("user_not_allowed", `user named in header ${userHeader} is not in allowUsers`);
    }
    return { ok: true, user, clientAddress };
  }

  return { evaluate, isTrusted };
}
