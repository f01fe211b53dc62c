import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../config/index.js";
import { checkTrustedProxyConfig, checkTrustedProxyRefusals, RECENT_REFUSAL_MS } from "./proxy-checks.js";

const config = (gateway: unknown) => ConfigSchema.parse({ gateway });
const NOW = Date.parse("2026-03-01T12:00:00Z");
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();

describe("checkTrustedProxyConfig (seed: canvas not accessible → X-Forwarded-For)", () => {
  it("fails trusted-proxy mode without trustedProxies: nothing, the canvas included, is reachable", () => {
    const [finding] = checkTrustedProxyConfig(config({ auth: { mode: "trusted-proxy" } }));
    expect(finding).toMatchObject({ id: "trusted-proxy-config", status: "fail" });
    expect(finding?.summary).toContain("gateway.trustedProxies is empty");
    expect(finding?.summary).toContain("canvas");
    expect(finding?.fix).toContain('"trustedProxies": ["10.0.0.5"]');
  });

  it("fails an entry that is not an address, with the policy's own hint", () => {
    const [finding] = checkTrustedProxyConfig(
      config({ auth: { mode: "trusted-proxy" }, trustedProxies: ["proxy.local"] }),
    );
    expect(finding?.status).toBe("fail");
    expect(finding?.summary).toContain('"proxy.local" is not an IP address or CIDR range');
  });

  it("warns about a loopback proxy that allowLoopback does not admit", () => {
    const [finding] = checkTrustedProxyConfig(
      config({ auth: { mode: "trusted-proxy" }, trustedProxies: ["127.0.0.1"] }),
    );
    expect(finding?.status).toBe("warn");
    expect(finding?.fix).toContain('"allowLoopback": true');
  });

  it("is ok for a listed proxy, and says when no proxy is in use", () => {
    expect(
      checkTrustedProxyConfig(config({ auth: { mode: "trusted-proxy" }, trustedProxies: ["10.0.0.5"] }))[0],
    ).toMatchObject({ status: "ok" });
    expect(checkTrustedProxyConfig(config({}))[0]?.summary).toBe(
      "trusted proxy: not in use (gateway.auth.mode is token)",
    );
  });
});

describe("checkTrustedProxyRefusals", () => {
  const proxyConfig = config({ auth: { mode: "trusted-proxy" }, trustedProxies: ["10.0.0.5"] });

  it("fails recent refusals for a missing X-Forwarded-For, naming the header and the proxy fix", () => {
    const [finding] = checkTrustedProxyRefusals(
      { authMode: "trusted-proxy", refusals: { missing_forwarded_for: { count: 7, lastAt: at(30_000) } } },
      proxyConfig,
      NOW,
    );
    expect(finding).toMatchObject({ status: "fail", subject: "missing_forwarded_for" });
    expect(finding?.summary).toBe(
      "trusted proxy: 7 requests came from a trusted proxy without an X-Forwarded-For header and were refused (401): " +
        "the canvas and every other route are unreachable through it (last 30 s ago)",
    );
    expect(finding?.fix).toContain("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for");
  });

  it("only warns about old refusals, and about refusals that keep strangers out", () => {
    const findings = checkTrustedProxyRefusals(
      {
        authMode: "trusted-proxy",
        refusals: {
          missing_forwarded_for: { count: 1, lastAt: at(RECENT_REFUSAL_MS + 1000) },
          untrusted_source: { count: 4, lastAt: at(1000) },
          missing_credentials: { count: 9, lastAt: at(1000) },
        },
      },
      proxyConfig,
      NOW,
    );
    expect(findings.map((finding) => [finding.subject, finding.status])).toEqual([
      ["missing_forwarded_for", "warn"],
      ["untrusted_source", "warn"],
    ]);
  });

  it("is ok without refusals and silent in other modes", () => {
    expect(
      checkTrustedProxyRefusals({ authMode: "trusted-proxy", refusals: {} }, proxyConfig, NOW)[0],
    ).toMatchObject({ status: "ok" });
    expect(
      checkTrustedProxyRefusals(
        { authMode: "token", refusals: { invalid_token: { count: 3, lastAt: at(0) } } },
        undefined,
        NOW,
      ),
    ).toEqual([]);
  });
});
