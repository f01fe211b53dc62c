import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HostAllowList, hostNameOf } from "./host-allow-list.js";

const MACHINE = { addresses: ["127.0.0.1", "10.0.0.5", "fe80::1"], hostname: "gw-box" };

describe("HostAllowList", () => {
  it("answers to loopback names and addresses on a loopback bind, nothing else", () => {
    const hosts = new HostAllowList({ bindHost: "127.0.0.1", machine: MACHINE });
    for (const host of [
      "localhost",
      "LOCALHOST:18789",
      "localhost.",
      "ui.localhost:1",
      "127.0.0.1:18789",
      "127.9.9.9",
      "[::1]:18789",
      "[::ffff:127.0.0.1]",
    ]) {
      expect(hosts.allows(host), host).toBe(true);
    }
    for (const host of [
      undefined,
      "",
      "rebind.attacker.example",
      "10.0.0.5",
      "gw-box",
      "127.0.0.1.nip.io",
      "localhost.evil.example",
      "0.0.0.0",
      "user@localhost",
      "localhost/x",
      "a b",
      "localhost:x",
      "[::1",
      "::1",
    ]) {
      expect(hosts.allows(host), String(host)).toBe(false);
    }
  });

  it("answers to the machine's addresses and name on a wildcard bind, and to configured names", () => {
    const hosts = new HostAllowList({
      bindHost: "0.0.0.0",
      machine: MACHINE,
      allowedHosts: ["Gateway.Example.COM"],
      allowedOrigins: ["https://ui.example.org:8443"],
    });
    for (const host of [
      "10.0.0.5:18789",
      "[fe80::1]:18789",
      "gw-box",
      "gateway.example.com",
      "ui.example.org",
    ]) {
      expect(hosts.allows(host), host).toBe(true);
    }
    expect(hosts.allows("10.0.0.6")).toBe(false);
    expect(new HostAllowList({ bindHost: "10.0.0.5", machine: MACHINE }).allows("gw-box")).toBe(false);
  });

  it("property: a random non-loopback name is never allowed on a loopback bind", () => {
    const hosts = new HostAllowList({ bindHost: "127.0.0.1", machine: MACHINE });
    fc.assert(
      fc.property(fc.domain(), fc.option(fc.integer({ min: 1, max: 65535 })), (domain, port) => {
        fc.pre(domain !== "localhost" && !domain.endsWith(".localhost"));
        expect(hosts.allows(port ? `${domain}:${port}` : domain)).toBe(false);
      }),
    );
  });

  it("parses Host headers strictly", () => {
    expect(hostNameOf("Example.COM.:80")).toBe("example.com");
    expect(hostNameOf("[::FFFF:127.0.0.1]:1")).toBe("127.0.0.1");
    expect(hostNameOf("a,b")).toBeUndefined();
    expect(hostNameOf("a:1:2")).toBeUndefined();
  });
});
