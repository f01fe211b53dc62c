import { describe, expect, it } from "vitest";
import { isOpenClawError } from "../errors.js";
import { compileTrustedProxyPolicy, type ProxyDecision, type TrustedProxyPolicy } from "./trusted-proxy.js";

const basePolicy: TrustedProxyPolicy = {
  trustedProxies: ["10.0.0.1", "192.168.10.0/24", "fd00::/64"],
  userHeader: "X-Forwarded-User",
  requiredHeaders: ["X-Forwarded-Proto"],
  allowLoopback: false,
};

const goodHeaders = {
  "x-forwarded-for": "203.0.113.7",
  "x-forwarded-proto": "https",
  "x-forwarded-user": "alice@example.com",
};

function evaluate(
  headers: Record<string, string | string[] | undefined>,
  socketAddress = "10.0.0.1",
  policy: Partial<TrustedProxyPolicy> = {},
): ProxyDecision {
  return compileTrustedProxyPolicy({ ...basePolicy, ...policy }).evaluate({ socketAddress, headers });
}

function reasonOf(decision: ProxyDecision): string {
  return decision.ok ? "accepted" : decision.reason;
}

describe("compileTrustedProxyPolicy", () => {
  it("accepts a request from a trusted proxy and returns the user and client address", () => {
    expect(evaluate(goodHeaders)).toEqual({
      ok: true,
      user: "alice@example.com",
      clientAddress: "203.0.113.7",
    });
  });

  describe("trust list", () => {
    it.each([
      ["10.0.0.1", true],
      ["::ffff:10.0.0.1", true],
      ["192.168.10.200", true],
      ["::ffff:192.168.10.200", true],
      ["fd00::1234", true],
      ["10.0.0.2", false],
      ["192.168.11.1", false],
      ["fd01::1", false],
      ["not-an-ip", false],
      ["", false],
    ])("%s trusted: %s", (address, expected) => {
      expect(compileTrustedProxyPolicy(basePolicy).isTrusted(address)).toBe(expected);
    });

    it("matches an IPv4-mapped entry against a plain IPv4 socket address", () => {
      const policy = compileTrustedProxyPolicy({ ...basePolicy, trustedProxies: ["::ffff:172.16.0.9"] });
      expect(policy.isTrusted("172.16.0.9")).toBe(true);
      expect(policy.isTrusted("::ffff:172.16.0.9")).toBe(true);
      expect(policy.isTrusted("172.16.0.10")).toBe(false);
    });

    it("accepts a mapped IPv4 socket address end to end", () => {
      expect(reasonOf(evaluate(goodHeaders, "::ffff:10.0.0.1"))).toBe("accepted");
    });

    it.each([
      "loopback",
      "proxy.internal",
      "10.0.0.0/33",
      "10.0.0.0/0",
      "::/0",
      "fd00::/129",
      "10.0.0.0/8x",
      "10.0.0.0/255.0.0.0",
      "127.1",
      "fe80::1%eth0",
      "",
    ])("refuses the entry %j at compile time with a hint", (entry) => {
      let thrown: unknown;
      try {
        compileTrustedProxyPolicy({ ...basePolicy, trustedProxies: ["10.0.0.1", entry] });
      } catch (error) {
        thrown = error;
      }
      expect(isOpenClawError(thrown) && thrown.code).toBe("OC_ERR_BAD_REQUEST");
      expect(isOpenClawError(thrown) && thrown.hint).toMatch(/CIDR/);
    });

    it("refuses an empty trust list and invalid header names at compile time", () => {
      expect(() => compileTrustedProxyPolicy({ ...basePolicy, trustedProxies: [] })).toThrow(
        expect.objectContaining({ code: "OC_ERR_BAD_REQUEST" }),
      );
      expect(() => compileTrustedProxyPolicy({ ...basePolicy, userHeader: "X User" })).toThrow(
        expect.objectContaining({ code: "OC_ERR_BAD_REQUEST" }),
      );
      expect(() => compileTrustedProxyPolicy({ ...basePolicy, requiredHeaders: [""] })).toThrow(
        expect.objectContaining({ code: "OC_ERR_BAD_REQUEST" }),
      );
    });
  });

  describe("source", () => {
    it("ignores forwarded headers from an untrusted address", () => {
      const decision = evaluate(goodHeaders, "203.0.113.50");
      expect(reasonOf(decision)).toBe("untrusted_source");
    });

    it("refuses a loopback proxy unless allowLoopback is set", () => {
      const loopbackTrusted = { trustedProxies: ["127.0.0.1", "::1"] };
      expect(reasonOf(evaluate(goodHeaders, "127.0.0.1", loopbackTrusted))).toBe("loopback_proxy");
      expect(reasonOf(evaluate(goodHeaders, "::ffff:127.0.0.1", loopbackTrusted))).toBe("loopback_proxy");
      expect(reasonOf(evaluate(goodHeaders, "::1", loopbackTrusted))).toBe("loopback_proxy");
      expect(reasonOf(evaluate(goodHeaders, "127.0.0.1", { ...loopbackTrusted, allowLoopback: true }))).toBe(
        "accepted",
      );
    });

    it("refuses an untrusted loopback address as untrusted, even with allowLoopback", () => {
      expect(reasonOf(evaluate(goodHeaders, "127.0.0.1", { allowLoopback: true }))).toBe("untrusted_source");
    });
  });

  describe("X-Forwarded-For", () => {
    it("reports an absent or whitespace-only header as missing", () => {
      expect(reasonOf(evaluate({ ...goodHeaders, "x-forwarded-for": undefined }))).toBe(
        "missing_forwarded_for",
      );
      expect(reasonOf(evaluate({ ...goodHeaders, "x-forwarded-for": "" }))).toBe("missing_forwarded_for");
      expect(reasonOf(evaluate({ ...goodHeaders, "x-forwarded-for": " \t " }))).toBe("missing_forwarded_for");
    });

    it.each([
      "unknown",
      "203.0.113.7, garbage",
      "203.0.113.7,,198.51.100.1",
      "203.0.113.7,",
      " , ",
      "203.0.113.7:4711",
      "[2001:db8::1]:443",
      "0x7f.0.0.1",
      "127.1",
      "fe80::1%eth0",
    ])("refuses %j as invalid", (value) => {
      expect(reasonOf(evaluate({ ...goodHeaders, "x-forwarded-for": value }))).toBe("invalid_forwarded_for");
    });

    it("tolerates spaces around commas and repeated headers joined by Node", () => {
      const decision = evaluate({
        ...goodHeaders,
        "x-forwarded-for": "198.51.100.1 ,203.0.113.7 , 10.0.0.1",
      });
      expect(decision).toMatchObject({ ok: true, clientAddress: "203.0.113.7" });
      const joined = evaluate({ ...goodHeaders, "x-forwarded-for": "198.51.100.1, 203.0.113.9" });
      expect(joined).toMatchObject({ ok: true, clientAddress: "203.0.113.9" });
      const array = evaluate({ ...goodHeaders, "x-forwarded-for": ["198.51.100.1", "2001:db8::7"] });
      expect(array).toMatchObject({ ok: true, clientAddress: "2001:db8::7" });
    });

    it("walks from the right, skipping trusted proxies, and stops at the first untrusted hop", () => {
      const decision = evaluate({
        ...goodHeaders,
        // The leftmost entry is whatever the client claimed; only the hop the trusted chain saw counts.
        "x-forwarded-for": "127.0.0.1, 198.51.100.23, 192.168.10.5, fd00::9",
      });
      expect(decision).toMatchObject({ ok: true, clientAddress: "198.51.100.23" });
    });

    it("takes the leftmost address when every hop is trusted", () => {
      const decision = evaluate({ ...goodHeaders, "x-forwarded-for": "192.168.10.5, 10.0.0.1" });
      expect(decision).toMatchObject({ ok: true, clientAddress: "192.168.10.5" });
    });

    it.each([
      "127.0.0.1",
      "127.8.9.10",
      "::1",
      "::ffff:127.0.0.1",
      "0:0:0:0:0:0:0:1",
      "203.0.113.7, 127.0.0.1",
    ])("refuses the loopback client %j", (value) => {
      expect(reasonOf(evaluate({ ...goodHeaders, "x-forwarded-for": value }))).toBe("loopback_client");
    });
  });

  describe("required headers and user", () => {
    it.each([[undefined], [""], ["  \t "]])("refuses a required header set to %j", (value) => {
      const decision = evaluate({ ...goodHeaders, "x-forwarded-proto": value });
      expect(decision).toMatchObject({ ok: false, reason: "missing_required_header" });
      expect(decision.ok || decision.message).toContain("X-Forwarded-Proto");
    });

    it("matches header names case-insensitively", () => {
      const decision = evaluate(
        { "X-Forwarded-For": "203.0.113.7", "x-forwarded-proto": "https", "X-REMOTE-USER": "bob" },
        "10.0.0.1",
        { userHeader: "x-remote-user", requiredHeaders: ["x-FORWARDED-proto"] },
      );
      expect(decision).toEqual({ ok: true, user: "bob", clientAddress: "203.0.113.7" });
    });

    it.each([[undefined], [""], ["   "]])("refuses a user header set to %j", (value) => {
      expect(reasonOf(evaluate({ ...goodHeaders, "x-forwarded-user": value }))).toBe("missing_user");
    });

    it("trims the user", () => {
      expect(evaluate({ ...goodHeaders, "x-forwarded-user": "  alice  " })).toMatchObject({
        ok: true,
        user: "alice",
      });
    });

    it.each([["alice, mallory"], [["alice", "mallory"]], ["alice,"]])(
      "refuses the ambiguous user %j",
      (value) => {
        expect(reasonOf(evaluate({ ...goodHeaders, "x-forwarded-user": value }))).toBe("ambiguous_user");
      },
    );

    it("admits only listed users, exactly", () => {
      const allowUsers = ["alice@example.com"];
      expect(reasonOf(evaluate(goodHeaders, "10.0.0.1", { allowUsers }))).toBe("accepted");
      for (const user of ["ALICE@example.com", "alice", "mallory@example.com"]) {
        expect(
          reasonOf(evaluate({ ...goodHeaders, "x-forwarded-user": user }, "10.0.0.1", { allowUsers })),
        ).toBe("user_not_allowed");
      }
      expect(reasonOf(evaluate(goodHeaders, "10.0.0.1", { allowUsers: [] }))).toBe("user_not_allowed");
    });
  });

  it("never puts header values in refusal messages", () => {
    const secretish = "Zq9-header-value";
    const cases: Array<[Record<string, string | undefined>, string?, Partial<TrustedProxyPolicy>?]> = [
      [{ ...goodHeaders, "x-forwarded-for": `${secretish}` }],
      [{ ...goodHeaders, "x-forwarded-for": "127.0.0.1", "x-forwarded-user": secretish }],
      [{ ...goodHeaders, "x-forwarded-user": `${secretish},${secretish}` }],
      [{ ...goodHeaders, "x-forwarded-user": secretish }, "10.0.0.1", { allowUsers: ["alice"] }],
      [{ ...goodHeaders, "x-forwarded-user": secretish, "x-forwarded-proto": " " }],
      [{ ...goodHeaders, "x-forwarded-user": secretish }, "203.0.113.1"],
    ];
    for (const [headers, socketAddress, policy] of cases) {
      const decision = evaluate(headers, socketAddress, policy);
      expect(decision.ok).toBe(false);
      expect(decision.ok || decision.message).not.toContain(secretish);
    }
  });
});
