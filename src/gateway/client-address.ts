import { isIPv4 } from "node:net";

/** Strips the IPv4-mapped IPv6 prefix so `::ffff:127.0.0.1` and `127.0.0.1` compare equal. */
export function normalizeAddress(address: string | undefined): string {
  if (!address) return "";
  const lower = address.toLowerCase();
  if (lower.startsWith("::ffff:") && isIPv4(lower.slice(7))) return lower.slice(7);
  return lower;
}

export function isLoopbackAddress(address: string | undefined): boolean {
  const normalized = normalizeAddress(address);
  return normalized === "::1" || (isIPv4(normalized) && normalized.startsWith("127."));
}

/** The address clients should use to reach a gateway bound to `host`. */
export function connectHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "::1";
  return host;
}

export function httpUrl(host: string, port: number, protocol = "http"): string {
  const target = connectHost(host);
  return `${protocol}://${target.includes(":") ? `[${target}]` : target}:${port}`;
}
