import ipaddr from "ipaddr.js";

/**
 * Why an address is refused, or undefined when it is public. An agent's fetch must not reach the
 * gateway itself, the operator's LAN or a cloud metadata service (SSRF), so everything that is not
 * a globally routed unicast address is refused unless the policy says otherwise.
 */
export function privateAddressReason(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return "not an IP address";
  let parsed = ipaddr.parse(address);
  // ::ffff:127.0.0.1 (and the NAT64/compat forms ipaddr knows) reach the IPv4 host: judge that one.
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  if (parsed.kind() === "ipv4") return ipv4Reason(parsed as ipaddr.IPv4);
  return ipv6Reason(parsed as ipaddr.IPv6);
}

const IPV4_REFUSED: Record<string, string> = {
  unspecified: "unspecified",
  broadcast: "broadcast",
  multicast: "multicast",
  linkLocal: "link-local (cloud metadata)",
  loopback: "loopback",
  carrierGradeNat: "CGNAT (100.64.0.0/10)",
  private: "private (RFC 1918)",
  reserved: "reserved",
};

function ipv4Reason(address: ipaddr.IPv4): string | undefined {
  const range = address.range();
  if (range in IPV4_REFUSED) return IPV4_REFUSED[range];
  // 0.0.0.0/8 ("this network") reaches the local host on Linux; ipaddr only names 0.0.0.0 itself.
  if (address.octets[0] === 0) return "unspecified";
  if (address.match(ipaddr.IPv4.parse("198.18.0.0"), 15)) return "benchmarking (198.18.0.0/15)";
  if (address.match(ipaddr.IPv4.parse("192.0.0.0"), 24)) return "IETF protocol assignments";
  if (range === "unicast") return undefined;
  return range;
}

function ipv6Reason(address: ipaddr.IPv6): string | undefined {
  const range = address.range();
  switch (range) {
    case "unicast":
      return undefined;
    case "unspecified":
    case "loopback":
    case "linkLocal":
    case "multicast":
      return range === "linkLocal" ? "link-local" : range;
    case "uniqueLocal":
      // fd00:ec2::254 (AWS's IPv6 metadata endpoint) is in here.
      return "unique-local (fc00::/7)";
    // Forms that embed an IPv4 address or tunnel to one: judged by the IPv4 inside when there is one.
    case "rfc6145":
    case "rfc6052":
    case "6to4":
    case "teredo": {
      const embedded = embeddedIpv4(address, range);
      const reason = embedded ? ipv4Reason(embedded) : undefined;
      return reason ? `${range} form of a ${reason} address` : range === "teredo" ? "teredo" : undefined;
    }
    default:
      // reserved, discard-only, benchmarking, ORCHIDv2, documentation: never a real destination.
      return range;
  }
}

function embeddedIpv4(address: ipaddr.IPv6, range: string): ipaddr.IPv4 | undefined {
  const bytes = address.toByteArray();
  if (range === "6to4") return new ipaddr.IPv4(bytes.slice(2, 6));
  if (range === "teredo") return new ipaddr.IPv4(bytes.slice(12, 16).map((byte) => byte ^ 0xff));
  return new ipaddr.IPv4(bytes.slice(12, 16));
}
