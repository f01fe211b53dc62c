import { describe, expect, it } from "vitest";
import type { TlsFact } from "./facts.js";
import { checkTlsCertificate } from "./tls-checks.js";

const NOW = Date.parse("2026-03-01T00:00:00Z");
const DAY = 24 * 60 * 60_000;

const certificate = (validTo: number, overrides: Partial<TlsFact> = {}): TlsFact => ({
  certPath: "/etc/openclaw/tls/cert.pem",
  keyPath: "/etc/openclaw/tls/key.pem",
  generated: false,
  notCreatedYet: false,
  validFrom: new Date(NOW - 90 * DAY).toISOString(),
  validTo: new Date(validTo).toISOString(),
  keyMatches: true,
  ...overrides,
});

describe("checkTlsCertificate", () => {
  it("fails an expired certificate and says how to renew it", () => {
    const [finding] = checkTlsCertificate(certificate(NOW - DAY), NOW);
    expect(finding).toMatchObject({ id: "tls-certificate", status: "fail" });
    expect(finding?.summary).toContain("expired on 2026-02-28");
    expect(finding?.fix).toContain("renew it");
  });

  it("warns under 14 days; a generated certificate is renewed by deleting it", () => {
    const [finding] = checkTlsCertificate(certificate(NOW + 5 * DAY + 1000, { generated: true }), NOW);
    expect(finding?.status).toBe("warn");
    expect(finding?.summary).toContain("expires in 5 days");
    expect(finding?.fix).toContain("delete /etc/openclaw/tls/cert.pem");
  });

  it("is ok with time left, or before the first start generates one", () => {
    expect(checkTlsCertificate(certificate(NOW + 200 * DAY), NOW)[0]?.summary).toContain(
      "valid for 200 more days",
    );
    expect(
      checkTlsCertificate(certificate(0, { generated: true, notCreatedYet: true }), NOW)[0]?.status,
    ).toBe("ok");
  });

  it("fails an unreadable certificate, a key of another certificate, and a future one", () => {
    expect(checkTlsCertificate(certificate(0, { error: "cannot read /x (EACCES)" }), NOW)[0]?.summary).toBe(
      "TLS: cannot read /x (EACCES)",
    );
    expect(checkTlsCertificate(certificate(NOW + 99 * DAY, { keyMatches: false }), NOW)[0]?.status).toBe(
      "fail",
    );
    expect(
      checkTlsCertificate(
        certificate(NOW + 99 * DAY, { validFrom: new Date(NOW + DAY).toISOString() }),
        NOW,
      )[0]?.status,
    ).toBe("fail");
  });

  it("is silent when TLS is off", () => {
    expect(checkTlsCertificate(undefined, NOW)).toEqual([]);
  });
});
