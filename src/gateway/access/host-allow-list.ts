import { isIP } from "node:net";
import { networkInterfaces, hostname as osHostname } from "node:os";
import { isLoopbackAddress, normalizeAddress } from "../client-address.js";

/**
 * The names a request's `Host` may carry. A page on `rebind.attacker.example` whose DNS answer
 * flips to 127.0.0.1 reaches a loopback gateway with its own name in `Host`: refusing names we
 * do not answer to is what stops DNS rebinding, whatever the auth mode.
 *
 * Allowed: `localhost` and `*.localhost` (browsers resolve these to loopback themselves, so no
 * DNS answer can point them elsewhere), every loopback address, the address the gateway is bound
 * to (all of this machine's addresses and its host name for a wildcard bind), the hosts of
 * `gateway.controlUi.allowedOrigins`, and `gateway.allowedHosts`.
 */
export class HostAllowList {
  private readonly names = new Set<string>();

  constructor(options: {
    bindHost: string;
    allowedHosts?: readonly string[];
    allowedOrigins?: readonly string[];
    /** This machine's addresses and name; read from the OS when not given. */
    machine?: { addresses: readonly string[]; hostname: string };
  }) {
    const bind = normalizeAddress(stripBrackets(options.bindHost));
    if (bind) this.names.add(bind);
    if (bind === "0.0.0.0" || bind === "::" || bind === "") {
      const machine = options.machine ?? localMachine();
      for (const address of machine.addresses) this.names.add(normalizeAddress(address));
      if (machine.hostname) this.names.add(machine.hostname.toLowerCase());
    }
    for (const host of options.allowedHosts ?? []) this.names.add(normalizeName(host));
    for (const origin of options.allowedOrigins ?? []) {
      const host = originHost(origin);
      if (host) this.names.add(host);
    }
  }

  /** Whether a request's Host header (`name`, `name:port`, `[v6]:port`) names this gateway. */
  allows(hostHeader: string | undefined): boolean {
    if (hostHeader === undefined) return false;
    const name = hostNameOf(hostHeader);
    if (name === undefined) return false;
    if (name === "localhost" || name.endsWith(".localhost")) return true;
    if (isIP(name) !== 0 && isLoopbackAddress(name)) return true;
    return this.names.has(name);
  }
}

function stripBrackets(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

function normalizeName(host: string): string {
  const bare = stripBrackets(host.trim().toLowerCase()).replace(/\.$/, "");
  return isIP(bare) !== 0 ? normalizeAddress(bare) : bare;
}

/**
 * The host part of a Host header, lower-cased, without port or trailing dot; undefined for
 * anything that is not a plain host (userinfo, paths, spaces, several values).
 */
export function hostNameOf(header: string): string | undefined {
  const value = header.trim().toLowerCase();
  if (value === "" || /[\s/\\@?#,]/.test(value)) return undefined;
  let host = value;
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    if (end === -1) return undefined;
    const rest = value.slice(end + 1);
    if (rest !== "" && !/^:\d{1,5}$/.test(rest)) return undefined;
    host = value.slice(1, end);
    if (isIP(host) !== 6) return undefined;
  } else {
    const colon = value.lastIndexOf(":");
    if (colon !== -1) {
      if (!/^\d{1,5}$/.test(value.slice(colon + 1))) return undefined;
      host = value.slice(0, colon);
    }
    if (host.includes(":")) return undefined;
  }
  host = host.replace(/\.$/, "");
  if (host === "") return undefined;
  return isIP(host) !== 0 ? normalizeAddress(host) : host;
}

function originHost(origin: string): string | undefined {
  try {
    const { hostname } = new URL(origin);
    return hostname ? normalizeName(hostname) : undefined;
  } catch {
    return undefined;
  }
}

function localMachine(): { addresses: string[]; hostname: string } {
  const addresses: string[] = [];
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) addresses.push(entry.address.replace(/%.*$/, ""));
  }
  return { addresses, hostname: osHostname() };
}
