import { createPrivateKey, X509Certificate } from "node:crypto";
import { once } from "node:events";
import { createServer, request } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { describe, expect, it } from "vitest";
import { generateSelfSignedCertificate } from "./self-signed.js";

const options = {
  commonName: "openclaw-gateway",
  altNames: [
    "localhost",
    "gateway.lan",
    "*.gateway.lan",
    "127.0.0.1",
    "192.168.1.10",
    "::1",
    "fd00::1:2",
    "::ffff:10.1.2.3",
  ],
  days: 30,
};

describe("generateSelfSignedCertificate", () => {
  const generated = generateSelfSignedCertificate(options);
  const certificate = new X509Certificate(generated.certPem);

  it("makes a certificate OpenSSL parses, self-signed by its own key", () => {
    expect(certificate.subject).toBe("CN=openclaw-gateway");
    expect(certificate.issuer).toBe("CN=openclaw-gateway");
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.checkPrivateKey(createPrivateKey(generated.keyPem))).toBe(true);
    expect(certificate.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(certificate.ca).toBe(false);
    expect(certificate.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1"]);
    expect(generated.fingerprint256).toBe(certificate.fingerprint256);
    expect(generated.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it("covers every DNS name and IP address it was asked for, and nothing else", () => {
    expect(certificate.subjectAltName).toBe(
      "DNS:localhost, DNS:gateway.lan, DNS:*.gateway.lan, IP Address:127.0.0.1, IP Address:192.168.1.10, IP Address:0:0:0:0:0:0:0:1, IP Address:FD00:0:0:0:0:0:1:2, IP Address:0:0:0:0:0:FFFF:A01:203",
    );
    expect(certificate.checkHost("localhost")).toBe("localhost");
    expect(certificate.checkHost("node.gateway.lan")).toBe("*.gateway.lan");
    expect(certificate.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(certificate.checkIP("192.168.1.10")).toBe("192.168.1.10");
    expect(certificate.checkIP("::1")).toBe("::1");
    expect(certificate.checkIP("fd00::1:2")).toBe("fd00::1:2");
    expect(certificate.checkHost("example.com")).toBeUndefined();
    expect(certificate.checkIP("10.0.0.1")).toBeUndefined();
  });

  it("is valid from an hour ago for the requested number of days", () => {
    const now = new Date("2030-06-01T12:00:00Z");
    const dated = new X509Certificate(generateSelfSignedCertificate({ ...options, now }).certPem);
    expect(dated.validFromDate.toISOString()).toBe("2030-06-01T11:00:00.000Z");
    expect(dated.validToDate.toISOString()).toBe("2030-07-01T12:00:00.000Z");
    const late = new X509Certificate(
      generateSelfSignedCertificate({ ...options, days: 365 * 30, now: new Date("2040-01-01T00:00:00Z") })
        .certPem,
    );
    expect(late.validToDate.getUTCFullYear()).toBe(2069);
  });

  it("gives each certificate its own key and serial", () => {
    const other = new X509Certificate(generateSelfSignedCertificate(options).certPem);
    expect(other.serialNumber).not.toBe(certificate.serialNumber);
    expect(other.fingerprint256).not.toBe(certificate.fingerprint256);
  });

  it.each([
    { altNames: ["https://localhost"] },
    { altNames: ["localhost:8443"] },
    { altNames: ["fe80::1%eth0"] },
    { altNames: ["bad_name.lan"] },
    { altNames: ["gateway..lan"] },
    { commonName: "" },
    { commonName: "x".repeat(65) },
    { days: 0 },
    { days: 1.5 },
  ])("refuses %j", (override) => {
    expect(() => generateSelfSignedCertificate({ ...options, ...override })).toThrow(
      expect.objectContaining({ code: "OC_ERR_BAD_REQUEST" }),
    );
  });

  it("serves TLS to a client that trusts it, which sees the same fingerprint", async () => {
    const server = createServer({ cert: generated.certPem, key: generated.keyPem }, (_request, response) => {
      response.end("hello over tls");
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const { port } = server.address() as AddressInfo;
      const { body, fingerprint256 } = await new Promise<{ body: string; fingerprint256: string }>(
        (resolve, reject) => {
          const client = request(
            {
              host: "127.0.0.1",
              port,
              path: "/",
              ca: generated.certPem,
              servername: "localhost",
              agent: false,
            },
            (response) => {
              const peer = (response.socket as TLSSocket).getPeerCertificate();
              let text = "";
              response.setEncoding("utf8");
              response.on("data", (chunk: string) => {
                text += chunk;
              });
              response.on("end", () => resolve({ body: text, fingerprint256: peer.fingerprint256 }));
            },
          );
          client.on("error", reject);
          client.end();
        },
      );
      expect(body).toBe("hello over tls");
      expect(fingerprint256).toBe(generated.fingerprint256);
    } finally {
      server.close();
    }
  });

  it("is refused by a client that does not trust it", async () => {
    const server = createServer({ cert: generated.certPem, key: generated.keyPem }, (_request, response) => {
      response.end();
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    try {
      const { port } = server.address() as AddressInfo;
      const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
        const client = request({ host: "127.0.0.1", port, servername: "localhost", agent: false }, () =>
          resolve(new Error("connected") as NodeJS.ErrnoException),
        );
        client.on("error", resolve);
        client.end();
      });
      expect(error.code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    } finally {
      server.close();
    }
  });
});
