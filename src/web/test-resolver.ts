import { type HostResolver, systemResolver } from "./ssrf-policy.js";

/**
 * Test-only: `OPENCLAW_TEST_WEB_FETCH_HOSTS="name=address,name=address"` makes those names resolve
 * to those addresses for web_fetch (the e2e suite points a name at 127.0.0.1 to prove a name is
 * judged by what it resolves to). Every other name goes to the system resolver. The answer is still
 * checked by the SSRF policy, so this can only make a fetch be refused, never allowed.
 */
export function testHostResolver(spec: string | undefined): HostResolver {
  if (!spec) return systemResolver;
  const table = new Map(
    spec
      .split(",")
      .map((entry) => entry.split("=").map((part) => part.trim()))
      .filter((pair): pair is [string, string] => pair.length === 2 && pair[0] !== "" && pair[1] !== "")
      .map(([name, address]) => [name.toLowerCase(), address]),
  );
  return async (hostname) => {
    const address = table.get(hostname.toLowerCase());
    return address ? [address] : systemResolver(hostname);
  };
}
