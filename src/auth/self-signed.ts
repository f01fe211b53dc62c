import { generateKeyPairSync, randomBytes, sign, X509Certificate } from "node:crypto";
import { isIP, isIPv4 } from "node:net";
import { OpenClawError } from "../errors.js";
import {
  bitString,
  boolean,
  DerTag,
  explicit,
  implicitPrimitive,
  objectIdentifier,
  octetString,
  sequence,
  set,
  smallInteger,
  time,
  tlv,
  unsignedInteger,
  utf8String,
} from "./der.js";

export interface SelfSignedCertificateOptions {
  commonName: string;
  /** DNS names and IP addresses (v4 or v6) clients will use to reach the gateway. */
  altNames: string[];
  days: number;
  /** Start of validity; now by default. Backdated an hour to tolerate client clock skew. */
  now?: Date;
}

export interface SelfSignedCertificate {
  certPem: string;
  keyPem: string;
  /** SHA-256 of the DER certificate, `AB:CD:…` like `X509Certificate.fingerprint256`: what clients pin. */
  fingerprint256: string;
}

const OID = {
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  commonName: "2.5.4.3",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
} as const;

const CLOCK_SKEW_MS = 60 * 60_000;
/** RFC 5280's upper bound for a common name. */
const MAX_COMMON_NAME_LENGTH = 64;
const DNS_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const DNS_NAME = new RegExp(`^(?:\\*\\.)?${DNS_LABEL}(?:\\.${DNS_LABEL})*$`);

function invalid(message: string, hint: string, details?: Record<string, unknown>): OpenClawError {
  return new OpenClawError("OC_ERR_BAD_REQUEST", message, { hint, ...(details ? { details } : {}) });
}

function ipv4Bytes(address: string): Buffer {
  return Buffer.from(address.split(".").map(Number));
}

/** Expands an IPv6 literal (already validated by `net.isIPv6`) to its 16 bytes. */
function ipv6Bytes(address: string): Buffer {
  let text = address;
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (isIPv4(tail)) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split(".").map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", rest] = text.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = rest === undefined || rest === "" ? [] : rest.split(":");
  const zeros =
    rest === undefined ? [] : new Array<string>(8 - headGroups.length - tailGroups.length).fill("0");
  const bytes = Buffer.alloc(16);
  [...headGroups, ...zeros, ...tailGroups].forEach((group, index) => {
    bytes.writeUInt16BE(Number.parseInt(group, 16), index * 2);
  });
  return bytes;
}

function generalName(name: string): Buffer {
  const family = isIP(name);
  if (family === 4) return implicitPrimitive(7, ipv4Bytes(name));
  if (family === 6 && !name.includes("%")) return implicitPrimitive(7, ipv6Bytes(name));
  if (family === 0 && DNS_NAME.test(name) && name.length <= 253)
    return implicitPrimitive(2, Buffer.from(name, "ascii"));
  throw invalid(
    `certificate name ${JSON.stringify(name)} is neither a DNS name nor an IP address`,
    "list host names (gateway.lan, *.example.com) and IP addresses (192.168.1.10, ::1) without ports or schemes",
    { name },
  );
}

const extension = (oid: string, critical: boolean, value: Buffer): Buffer =>
  sequence(objectIdentifier(oid), ...(critical ? [boolean(true)] : []), octetString(value));

function toPem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/**
 * A self-signed TLS server certificate for the gateway, made in-process: no `openssl` binary to
 * find on the host and no dependency to audit. The key is ECDSA P-256, which every TLS client
 * accepts; clients trust the certificate by pinning `fingerprint256` or using it as their CA.
 */
export function generateSelfSignedCertificate(options: SelfSignedCertificateOptions): SelfSignedCertificate {
  const { commonName, altNames, days } = options;
  if (commonName.trim() === "" || commonName.length > MAX_COMMON_NAME_LENGTH) {
    throw invalid(
      `certificate common name must be 1 to ${MAX_COMMON_NAME_LENGTH} characters`,
      "use the gateway's host name, e.g. openclaw-gateway",
    );
  }
  if (!Number.isInteger(days) || days < 1) {
    throw invalid(`certificate validity must be a whole number of days, got ${days}`, "use e.g. 365");
  }
  const subjectAltNames = altNames.map(generalName);

  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const start = (options.now ?? new Date()).getTime();
  const notBefore = new Date(start - CLOCK_SKEW_MS);
  const notAfter = new Date(start + days * 24 * 60 * 60_000);
  // Positive (top bit clear), never zero, at most 20 bytes: RFC 5280 4.1.2.2. Random, so two
  // certificates from this issuer name never share a serial.
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40;

  const name = sequence(set(sequence(objectIdentifier(OID.commonName), utf8String(commonName))));
  const signatureAlgorithm = sequence(objectIdentifier(OID.ecdsaWithSha256));
  const extensions = [
    ...(subjectAltNames.length > 0
      ? [extension(OID.subjectAltName, false, sequence(...subjectAltNames))]
      : []),
    extension(OID.basicConstraints, true, sequence()),
    // BIT STRING with 7 unused bits and only bit 0 (digitalSignature) set.
    extension(OID.keyUsage, true, tlv(DerTag.BitString, Buffer.from([0x07, 0x80]))),
    extension(OID.extKeyUsage, false, sequence(objectIdentifier(OID.serverAuth))),
  ];
  const tbsCertificate = sequence(
    explicit(0, smallInteger(2)), // version v3
    unsignedInteger(serial),
    signatureAlgorithm,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    explicit(3, sequence(...extensions)),
  );
  const signature = sign("sha256", tbsCertificate, { key: privateKey, dsaEncoding: "der" });
  const certificate = sequence(tbsCertificate, signatureAlgorithm, bitString(signature));

  const certPem = toPem("CERTIFICATE", certificate);
  return {
    certPem,
    keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    // Parsing our own output is also the check that the encoding is one OpenSSL accepts.
    fingerprint256: new X509Certificate(certPem).fingerprint256,
  };
}
