import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type CapabilityGrant, CapabilityIssuer, type CapabilityIssuerOptions } from "./capabilities.js";

const TTL = 10 * 60_000;

function issuer(options: Partial<CapabilityIssuerOptions> = {}) {
  const clock = { now: 1_000_000 };
  return { issuer: new CapabilityIssuer({ ttlMs: TTL, now: () => clock.now, ...options }), clock };
}

const grant: CapabilityGrant = {
  nodeId: "node-a",
  sessionKey: "agent:main:main",
  surfaces: ["canvas", "a2ui"],
};

function reasonOf(verdict: ReturnType<CapabilityIssuer["verify"]>): string {
  return verdict.ok ? "ok" : verdict.reason;
}

describe("CapabilityIssuer", () => {
  it("issues a URL-safe token that verifies for its surfaces", () => {
    const { issuer: capabilities, clock } = issuer();
    const { token, expiresAt } = capabilities.issue({ ...grant, surfaces: ["canvas", "a2ui"] });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(encodeURIComponent(token)).toBe(token);
    expect(expiresAt).toBe(clock.now + TTL);
    const expected = { ok: true, nodeId: "node-a", sessionKey: "agent:main:main", expiresAt };
    expect(capabilities.verify(token, "canvas")).toEqual(expected);
    expect(capabilities.verify(token, "a2ui")).toEqual(expected);
  });

  it("refuses a surface the token was not issued for", () => {
    const { issuer: capabilities } = issuer();
    const { token } = capabilities.issue({ ...grant, surfaces: ["canvas"] });
    expect(reasonOf(capabilities.verify(token, "a2ui"))).toBe("wrong_surface");
  });

  it("refuses a missing or malformed token", () => {
    const { issuer: capabilities } = issuer();
    const { token } = capabilities.issue({ ...grant, surfaces: ["canvas"] });
    expect(reasonOf(capabilities.verify("", "canvas"))).toBe("missing");
    expect(reasonOf(capabilities.verify(undefined, "canvas"))).toBe("missing");
    for (const bad of [
      "abc",
      "a.b.c",
      `${token}.x`,
      `.${token.split(".")[1]}`,
      token.replace(".", "+"),
      `${token}=`,
    ]) {
      expect(reasonOf(capabilities.verify(bad, "canvas"))).toBe("malformed");
    }
  });

  it("refuses every single-character change to a token", () => {
    const { issuer: capabilities } = issuer();
    const { token } = capabilities.issue({ ...grant, surfaces: ["canvas"] });
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    for (let index = 0; index < token.length; index++) {
      for (const replacement of [
        alphabet[(alphabet.indexOf(token[index]!) + 1) % alphabet.length]!,
        "B",
        "A",
      ]) {
        if (replacement === token[index]) continue;
        const tampered = token.slice(0, index) + replacement + token.slice(index + 1);
        expect(["bad_signature", "malformed"]).toContain(reasonOf(capabilities.verify(tampered, "canvas")));
      }
    }
  });

  it("refuses a token whose payload was rewritten to widen it, even with a plausible shape", () => {
    const { issuer: capabilities } = issuer();
    const { token } = capabilities.issue({ ...grant, surfaces: ["canvas"] });
    const [body, signature] = token.split(".");
    const payload = JSON.parse(Buffer.from(body!, "base64url").toString("utf8"));
    const widened = Buffer.from(
      JSON.stringify({ ...payload, f: ["canvas", "a2ui"], exp: payload.exp * 2 }),
    ).toString("base64url");
    expect(reasonOf(capabilities.verify(`${widened}.${signature}`, "a2ui"))).toBe("bad_signature");
  });

  it("refuses a token from another issuer", () => {
    const { issuer: ours } = issuer();
    const { issuer: theirs } = issuer();
    const { token } = theirs.issue(grant);
    expect(reasonOf(ours.verify(token, "canvas"))).toBe("bad_signature");
  });

  it("accepts a token from another issuer sharing the key", () => {
    const key = randomBytes(32);
    const { token } = issuer({ key }).issuer.issue({ ...grant, surfaces: ["canvas"] });
    expect(reasonOf(issuer({ key }).issuer.verify(token, "canvas"))).toBe("ok");
  });

  it("expires tokens after the TTL", () => {
    const { issuer: capabilities, clock } = issuer();
    const { token } = capabilities.issue({ ...grant, surfaces: ["canvas"] });
    clock.now += TTL - 1;
    expect(reasonOf(capabilities.verify(token, "canvas"))).toBe("ok");
    clock.now += 1;
    expect(reasonOf(capabilities.verify(token, "canvas"))).toBe("expired");
  });

  it("revokes every token of a node at once, and only that node's", () => {
    const { issuer: capabilities } = issuer();
    const first = capabilities.issue({ ...grant, surfaces: ["canvas"] }).token;
    const second = capabilities.issue({ ...grant, sessionKey: "agent:main:other", surfaces: ["a2ui"] }).token;
    const otherNode = capabilities.issue({ ...grant, nodeId: "node-b", surfaces: ["canvas"] }).token;
    capabilities.revokeNode("node-a");
    expect(reasonOf(capabilities.verify(first, "canvas"))).toBe("revoked");
    expect(reasonOf(capabilities.verify(second, "a2ui"))).toBe("revoked");
    expect(reasonOf(capabilities.verify(otherNode, "canvas"))).toBe("ok");
    const reissued = capabilities.issue({ ...grant, surfaces: ["canvas"] }).token;
    expect(reasonOf(capabilities.verify(reissued, "canvas"))).toBe("ok");
  });

  it("ends one session's tokens and leaves the node's other sessions alone", () => {
    const { issuer: capabilities } = issuer();
    const ended = capabilities.issue({ ...grant, surfaces: ["canvas"] }).token;
    const other = capabilities.issue({
      ...grant,
      sessionKey: "agent:main:other",
      surfaces: ["canvas"],
    }).token;
    capabilities.endSession("node-a", "agent:main:main");
    expect(reasonOf(capabilities.verify(ended, "canvas"))).toBe("revoked");
    expect(reasonOf(capabilities.verify(other, "canvas"))).toBe("ok");
    const fresh = capabilities.issue({ ...grant, surfaces: ["canvas"] }).token;
    expect(reasonOf(capabilities.verify(fresh, "canvas"))).toBe("ok");
  });

  it("does not confuse sessions whose names would collide if concatenated", () => {
    const { issuer: capabilities } = issuer();
    const token = capabilities.issue({ nodeId: "a", sessionKey: "b:c", surfaces: ["canvas"] }).token;
    capabilities.endSession("a:b", "c");
    expect(reasonOf(capabilities.verify(token, "canvas"))).toBe("ok");
  });

  it("forgets a revocation once everything it revoked has expired, without reviving anything", () => {
    const { issuer: capabilities, clock } = issuer();
    const old = capabilities.issue({ ...grant, surfaces: ["canvas"] }).token;
    capabilities.revokeNode("node-a");
    const afterRevoke = capabilities.issue({ ...grant, surfaces: ["canvas"] }).token;
    clock.now += TTL - 1;
    expect(reasonOf(capabilities.verify(old, "canvas"))).toBe("revoked");
    const late = capabilities.issue({ ...grant, surfaces: ["canvas"] }).token;
    clock.now += 1;
    capabilities.endSession("node-b", "s");
    expect(capabilities.revocationCount).toBe(1);
    expect(reasonOf(capabilities.verify(old, "canvas"))).toBe("expired");
    expect(reasonOf(capabilities.verify(afterRevoke, "canvas"))).toBe("expired");
    expect(reasonOf(capabilities.verify(late, "canvas"))).toBe("ok");
  });

  it("keeps memory bounded under a stream of ended sessions", () => {
    const { issuer: capabilities, clock } = issuer();
    for (let index = 0; index < 1_000; index++) {
      capabilities.endSession("node-a", `session-${index}`);
      clock.now += TTL / 100;
    }
    expect(capabilities.revocationCount).toBeLessThanOrEqual(101);
  });

  it("refuses a token issued in the same millisecond as a later revocation, and accepts one after", () => {
    const { issuer: capabilities } = issuer();
    // The clock stands still: issue, revoke and issue again all happen in one millisecond.
    const before = capabilities.issue({ ...grant, surfaces: ["canvas"] }).token;
    capabilities.revokeNode("node-a");
    const after = capabilities.issue({ ...grant, surfaces: ["canvas"] }).token;
    capabilities.endSession("node-a", "agent:main:main");
    const afterSessionEnd = capabilities.issue({ ...grant, surfaces: ["canvas"] }).token;
    expect(reasonOf(capabilities.verify(before, "canvas"))).toBe("revoked");
    expect(reasonOf(capabilities.verify(after, "canvas"))).toBe("revoked");
    expect(reasonOf(capabilities.verify(afterSessionEnd, "canvas"))).toBe("ok");
  });

  it("applies another issuer's revocation to tokens issued before it, not to those issued after", () => {
    const key = randomBytes(32);
    const clock = { now: 1_000_000 };
    const here = new CapabilityIssuer({ key, ttlMs: TTL, now: () => clock.now });
    const there = new CapabilityIssuer({ key, ttlMs: TTL, now: () => clock.now });
    const before = here.issue({ ...grant, surfaces: ["canvas"] }).token;
    const revocation = there.revokeNode("node-a");
    expect(reasonOf(here.verify(before, "canvas"))).toBe("ok");
    here.apply(revocation);
    here.apply(revocation);
    const after = here.issue({ ...grant, surfaces: ["canvas"] }).token;
    expect(reasonOf(here.verify(before, "canvas"))).toBe("revoked");
    expect(reasonOf(there.verify(before, "canvas"))).toBe("revoked");
    expect(reasonOf(here.verify(after, "canvas"))).toBe("ok");
    expect(reasonOf(there.verify(after, "canvas"))).toBe("ok");
    expect(here.revocationCount).toBe(1);
  });

  it("keeps the newer of two revocations, in whichever order they arrive", () => {
    const { issuer: capabilities } = issuer();
    const token = capabilities.issue({ ...grant, surfaces: ["canvas"] }).token;
    const older = { scope: "node" as const, id: "node-a", issuedUpTo: 1, keepUntil: 2_000_000 };
    const newer = { ...older, issuedUpTo: 1_500_000 };
    capabilities.apply(newer);
    capabilities.apply(older);
    expect(reasonOf(capabilities.verify(token, "canvas"))).toBe("revoked");
  });

  it("ignores a revocation record of the wrong shape", () => {
    const { issuer: capabilities } = issuer();
    const token = capabilities.issue({ ...grant, surfaces: ["canvas"] }).token;
    for (const foreign of [
      { scope: "device", id: "node-a", issuedUpTo: 2_000_000, keepUntil: 3_000_000 },
      { scope: "node", id: 7, issuedUpTo: 2_000_000, keepUntil: 3_000_000 },
      { scope: "node", id: "node-a", issuedUpTo: 2.5, keepUntil: 3_000_000 },
      { scope: "node", id: "node-a", issuedUpTo: Number.NaN, keepUntil: 3_000_000 },
    ]) {
      capabilities.apply(foreign as never);
    }
    expect(capabilities.revocationCount).toBe(0);
    expect(reasonOf(capabilities.verify(token, "canvas"))).toBe("ok");
  });

  it("refuses to issue without a node, a session or a known surface", () => {
    const { issuer: capabilities } = issuer();
    expect(() => capabilities.issue({ ...grant, nodeId: "" })).toThrow(
      expect.objectContaining({ code: "OC_ERR_BAD_REQUEST" }),
    );
    expect(() => capabilities.issue({ ...grant, surfaces: [] })).toThrow(
      expect.objectContaining({ code: "OC_ERR_BAD_REQUEST" }),
    );
    expect(() => capabilities.issue({ ...grant, surfaces: ["terminal"] } as never)).toThrow(
      expect.objectContaining({ code: "OC_ERR_BAD_REQUEST" }),
    );
  });

  it("refuses a short key and a non-positive TTL", () => {
    expect(() => new CapabilityIssuer({ key: randomBytes(16), ttlMs: TTL })).toThrow(
      expect.objectContaining({ code: "OC_ERR_BAD_REQUEST" }),
    );
    expect(() => new CapabilityIssuer({ ttlMs: 0 })).toThrow(
      expect.objectContaining({ code: "OC_ERR_BAD_REQUEST" }),
    );
  });
});
