import { createHash, createPublicKey, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  buildDeviceAuthPayload,
  type DeviceSignatureInput,
  deviceIdFromPublicKey,
  generateDeviceIdentity,
  signDevicePayload,
  verifyDeviceSignature,
} from "./device-identity.js";

const NOW = 1_760_000_000_000;
const NONCE = "c2VydmVyLW5vbmNl-1";

const connect = {
  clientId: "gateway-client",
  clientMode: "backend",
  role: "operator",
  scopes: ["operator.read", "operator.write"],
  token: "device-token-123",
  platform: "Darwin",
  deviceFamily: "MacBookPro",
};

/** Signs the way `@openclaw/gateway-client` does and returns what it would send. */
function signedConnect(version: "v2" | "v3" = "v3", overrides: Partial<typeof connect> = {}, signedAt = NOW) {
  const identity = generateDeviceIdentity();
  const params = { ...connect, ...overrides };
  const payload = buildDeviceAuthPayload(version, {
    deviceId: identity.deviceId,
    ...params,
    signedAtMs: signedAt,
    nonce: NONCE,
  });
  const device = {
    id: identity.deviceId,
    publicKey: identity.publicKey,
    signature: signDevicePayload(identity.privateKeyPem, payload),
    signedAt,
    nonce: NONCE,
  };
  const input: DeviceSignatureInput = { device, expectedNonce: NONCE, ...connect, now: NOW };
  return { identity, input };
}

function reasonOf(input: DeviceSignatureInput): string {
  const result = verifyDeviceSignature(input);
  return result.ok ? "ok" : result.reason;
}

describe("device identity", () => {
  it("derives the device id from the raw public key and sends the key as unpadded base64url", () => {
    const identity = generateDeviceIdentity();
    const jwk = createPublicKey(identity.publicKeyPem).export({ format: "jwk" });
    expect(identity.publicKey).toBe(jwk.x);
    expect(identity.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const raw = Buffer.from(identity.publicKey, "base64url");
    expect(raw).toHaveLength(32);
    expect(identity.deviceId).toBe(createHash("sha256").update(raw).digest("hex"));
    expect(identity.deviceId).toMatch(/^[0-9a-f]{64}$/);
    expect(deviceIdFromPublicKey(identity.publicKey)).toBe(identity.deviceId);
    expect(deviceIdFromPublicKey(`${identity.publicKey}=`)).toBe(identity.deviceId);
  });

  it.each(["", "AAAA", "not base64!", Buffer.alloc(33).toString("base64url")])(
    "refuses %j as a public key",
    (publicKey) => {
      expect(() => deviceIdFromPublicKey(publicKey)).toThrow(
        expect.objectContaining({ code: "OC_ERR_BAD_REQUEST" }),
      );
    },
  );

  it("builds the v3 and v2 payloads field for field", () => {
    const params = {
      deviceId: "abc123",
      clientId: "cli",
      clientMode: "ui",
      role: "node",
      scopes: ["a.read", "b.write"],
      signedAtMs: 1700000000123,
      token: "tok",
      nonce: "n-1",
      platform: "  MacOS\t",
      deviceFamily: "ÉCRAN iPad",
    };
    expect(buildDeviceAuthPayload("v3", params)).toBe(
      "v3|abc123|cli|ui|node|a.read,b.write|1700000000123|tok|n-1|macos|Écran ipad",
    );
    expect(buildDeviceAuthPayload("v2", params)).toBe(
      "v2|abc123|cli|ui|node|a.read,b.write|1700000000123|tok|n-1",
    );
    expect(
      buildDeviceAuthPayload("v3", {
        ...params,
        scopes: [],
        token: null,
        platform: undefined,
        deviceFamily: null,
      }),
    ).toBe("v3|abc123|cli|ui|node||1700000000123||n-1||");
  });

  it("signs with Ed25519 over the UTF-8 payload, as unpadded base64url", () => {
    const identity = generateDeviceIdentity();
    const signature = signDevicePayload(identity.privateKeyPem, "v3|ü|payload");
    expect(signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    const valid = verify(
      null,
      Buffer.from("v3|ü|payload", "utf8"),
      createPublicKey(identity.publicKeyPem),
      Buffer.from(signature, "base64url"),
    );
    expect(valid).toBe(true);
  });
});

describe("verifyDeviceSignature", () => {
  it("accepts a v3 signature", () => {
    const { identity, input } = signedConnect("v3");
    expect(verifyDeviceSignature(input)).toEqual({ ok: true, deviceId: identity.deviceId, version: "v3" });
  });

  it("accepts a v3 signature whatever the case and padding of platform metadata", () => {
    const { input } = signedConnect("v3", { platform: " darwin ", deviceFamily: "macbookpro" });
    expect(reasonOf(input)).toBe("ok");
  });

  it("accepts a legacy v2 signature, which does not bind platform", () => {
    const { identity, input } = signedConnect("v2");
    expect(verifyDeviceSignature({ ...input, platform: "anything" })).toEqual({
      ok: true,
      deviceId: identity.deviceId,
      version: "v2",
    });
  });

  it("accepts a connect without a token when none was signed", () => {
    const { input } = signedConnect("v3", { token: "" });
    expect(reasonOf({ ...input, token: undefined })).toBe("ok");
  });

  it("refuses a nonce other than the one this connection was challenged with", () => {
    const { input } = signedConnect();
    expect(reasonOf({ ...input, expectedNonce: "other-nonce" })).toBe("nonce_mismatch");
    expect(reasonOf({ ...input, device: { ...input.device, nonce: "other-nonce" } })).toBe("nonce_mismatch");
    expect(reasonOf({ ...input, expectedNonce: "", device: { ...input.device, nonce: "" } })).toBe(
      "nonce_mismatch",
    );
  });

  it("refuses a device id that is not derived from the presented key", () => {
    const { input } = signedConnect();
    const other = generateDeviceIdentity();
    expect(reasonOf({ ...input, device: { ...input.device, id: other.deviceId } })).toBe("id_mismatch");
    expect(reasonOf({ ...input, device: { ...input.device, id: input.device.id.toUpperCase() } })).toBe(
      "id_mismatch",
    );
  });

  it("refuses another device's key presented under its own id with this signature", () => {
    const { input } = signedConnect();
    const other = generateDeviceIdentity();
    const device = { ...input.device, id: other.deviceId, publicKey: other.publicKey };
    expect(reasonOf({ ...input, device })).toBe("bad_signature");
  });

  it.each(["", "short", "!!!!", Buffer.alloc(31, 1).toString("base64url")])(
    "refuses the public key %j",
    (publicKey) => {
      const { input } = signedConnect();
      expect(reasonOf({ ...input, device: { ...input.device, publicKey } })).toBe("bad_public_key");
    },
  );

  it.each([
    ["role", { role: "admin" }],
    ["scopes", { scopes: ["operator.read", "operator.write", "operator.admin"] }],
    ["token", { token: "other-token" }],
    ["client id", { clientId: "other-client" }],
    ["client mode", { clientMode: "ui" }],
    ["platform", { platform: "linux" }],
    ["device family", { deviceFamily: "iphone" }],
  ])("refuses a v3 signature when the %s differs from what was signed", (_field, change) => {
    const { input } = signedConnect("v3");
    expect(reasonOf({ ...input, ...change })).toBe("bad_signature");
  });

  it("refuses a signature over a different signedAt", () => {
    const { input } = signedConnect();
    expect(reasonOf({ ...input, device: { ...input.device, signedAt: NOW + 1 } })).toBe("bad_signature");
  });

  it("refuses a tampered, truncated or foreign signature", () => {
    const { input } = signedConnect();
    const bytes = Buffer.from(input.device.signature, "base64url");
    bytes[5] = bytes[5]! ^ 0x01;
    const tampered = bytes.toString("base64url");
    expect(reasonOf({ ...input, device: { ...input.device, signature: tampered } })).toBe("bad_signature");
    const truncated = input.device.signature.slice(0, 40);
    expect(reasonOf({ ...input, device: { ...input.device, signature: truncated } })).toBe("bad_signature");
    expect(reasonOf({ ...input, device: { ...input.device, signature: "" } })).toBe("bad_signature");
    expect(reasonOf({ ...input, device: { ...input.device, signature: "%%%" } })).toBe("bad_signature");
    const foreign = signedConnect().input.device.signature;
    expect(reasonOf({ ...input, device: { ...input.device, signature: foreign } })).toBe("bad_signature");
  });

  it("refuses a signature made too long ago or too far ahead, with a 10 minute default", () => {
    const tenMinutes = 10 * 60_000;
    expect(reasonOf(signedConnect("v3", {}, NOW - tenMinutes).input)).toBe("ok");
    expect(reasonOf(signedConnect("v3", {}, NOW - tenMinutes - 1).input)).toBe("stale");
    expect(reasonOf(signedConnect("v3", {}, NOW + tenMinutes + 1).input)).toBe("stale");
    const { input } = signedConnect("v3", {}, NOW - 5_000);
    expect(reasonOf({ ...input, maxSkewMs: 1_000 })).toBe("stale");
    expect(reasonOf({ ...input, device: { ...input.device, signedAt: Number.NaN } })).toBe("stale");
  });
});
