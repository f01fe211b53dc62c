import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/index.js";
import { checkBindExposure, credentialWeakness } from "./exposure-checks.js";

const config = (gateway: unknown) => ConfigSchema.parse({ gateway });
const strongToken = {
  field: "token" as const,
  origin: "generated" as const,
  length: 43,
  weakness: undefined,
};

describe("credentialWeakness", () => {
  it("names short, common and repeated values, and accepts long random ones", () => {
    expect(credentialWeakness("password", "hunter2")).toBe("only 7 characters (at least 12 wanted)");
    expect(credentialWeakness("password", "ChangeMe")).toBe("a common password");
    expect(credentialWeakness("token", "a".repeat(64))).toBe("one character repeated");
    expect(credentialWeakness("token", "short-token-0123456789")).toMatch(/at least 32/);
    expect(credentialWeakness("password", "correct horse battery")).toBeUndefined();
    expect(credentialWeakness("token", "Zx8kQ2vN4mP7rT1wY6bH3jL9cF5gD0sA")).toBeUndefined();
  });
});

describe("checkBindExposure", () => {
  it("is ok on loopback whatever the credential", () => {
    expect(checkBindExposure(config({ auth: { mode: "none" } }), undefined)[0]).toMatchObject({
      status: "ok",
    });
  });

  it("fails mode none on every interface", () => {
    const [finding] = checkBindExposure(config({ host: "0.0.0.0", auth: { mode: "none" } }), undefined);
    expect(finding?.status).toBe("fail");
    expect(finding?.summary).toContain(
      'gateway listens on 0.0.0.0 (every interface) with gateway.auth.mode "none"',
    );
  });

  it("fails a weak password off loopback and warns that it crosses the network in cleartext", () => {
    const findings = checkBindExposure(config({ host: "192.168.1.20", auth: { password: "x" } }), {
      field: "password",
      origin: "config",
      length: 7,
      weakness: "only 7 characters (at least 12 wanted)",
    });
    expect(findings.map((finding) => finding.status)).toEqual(["fail", "warn"]);
    expect(findings[0]?.summary).toContain("its password is weak: only 7 characters");
    expect(findings[1]?.summary).toContain("without TLS");
  });

  it("is ok off loopback with a strong token and TLS, or behind a trusted proxy", () => {
    const tls = { enabled: true, autoGenerate: true };
    expect(checkBindExposure(config({ host: "0.0.0.0", tls }), strongToken)[0]).toMatchObject({
      status: "ok",
    });
    expect(
      checkBindExposure(
        config({ host: "0.0.0.0", auth: { mode: "trusted-proxy" }, trustedProxies: ["10.0.0.5"] }),
        undefined,
      )[0],
    ).toMatchObject({ status: "ok" });
  });

  it("judges the address the running gateway reports over the config's", () => {
    expect(checkBindExposure(config({}), strongToken, "0.0.0.0")[0]?.status).toBe("warn");
  });
});
