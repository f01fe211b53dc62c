import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { OpenClawError } from "../errors.js";
import { safeEqual } from "./constant-time.js";

/**
 * OpenClaw device authentication, byte for byte as `@openclaw/gateway-client` does it, so its
 * clients pair with this gateway: an Ed25519 key per device, the device id derived from the key,
 * and a signature over a `|`-joined payload that binds the server's nonce.
 */

/** DER header of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const ED25519_PUBLIC_KEY_BYTES = 32;
export const DEFAULT_DEVICE_SIGNATURE_MAX_SKEW_MS = 10 * 60_000;

export type DeviceAuthPayloadVersion = "v2" | "v3";

export interface DeviceAuthPayloadParams {
  deviceId: string;
  clientId: string;
  clientMode: string;
  role: string;
  scopes: string[];
  signedAtMs: number;
  token?: string | null;
  nonce: string;
  /** Bound by v3 only. */
  platform?: string | null;
  /** Bound by v3 only. */
  deviceFamily?: string | null;
}

export interface DeviceIdentity {
  deviceId: string;
  /** base64url (no padding) of the raw 32-byte public key: the `device.publicKey` wire form. */
  publicKey: string;
  publicKeyPem: string;
  privateKeyPem: string;
}

export interface DeviceSignatureInput {
  device: { id: string; publicKey: string; signature: string; signedAt: number; nonce: string };
  /** The nonce this gateway sent in `connect.challenge` for this connection. */
  expectedNonce: string;
  clientId: string;
  clientMode: string;
  role: string;
  scopes: string[];
  token?: string;
  platform?: string;
  deviceFamily?: string;
  now?: number;
  maxSkewMs?: number;
}

export type DeviceSignatureRefusal =
  | "nonce_mismatch"
  | "id_mismatch"
  | "bad_public_key"
  | "bad_signature"
  | "stale";

export type DeviceSignatureResult =
  | { ok: true; deviceId: string; version: DeviceAuthPayloadVersion }
  | { ok: false; reason: DeviceSignatureRefusal };

/**
 * Lowercases ASCII A-Z only, as the reference client does: a locale-aware or Unicode lowercase
 * could differ between client and server and break the signature for some platform names.
 */
function normalizeDeviceMetadata(value: string | null | undefined): string {
  if (typeof value !== "string") return "";
  return value.trim().replace(/[A-Z]/g, (letter) => String.fromCharCode(letter.charCodeAt(0) + 32));
}

export function buildDeviceAuthPayload(
  version: DeviceAuthPayloadVersion,
  params: DeviceAuthPayloadParams,
): string {
  const common = [
    version,
    params.deviceId,
    params.clientId,
    params.clientMode,
    params.role,
    params.scopes.join(","),
    String(params.signedAtMs),
    params.token ?? "",
    params.nonce,
  ];
  if (version === "v2") return common.join("|");
  return [
    ...common,
    normalizeDeviceMetadata(params.platform),
    normalizeDeviceMetadata(params.deviceFamily),
  ].join("|");
}

/** Accepts base64url with or without padding (and the standard alphabet, as OpenClaw does). */
function decodeBase64Url(value: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) return undefined;
  return Buffer.from(value, "base64url");
}

function rawPublicKey(publicKeyB64Url: string): Buffer {
  const raw = decodeBase64Url(publicKeyB64Url);
  if (raw === undefined || raw.length !== ED25519_PUBLIC_KEY_BYTES) {
    throw new OpenClawError(
      "OC_ERR_BAD_REQUEST",
      "device public key is not a base64url raw 32-byte Ed25519 key",
      {
        hint: "send device.publicKey as the base64url encoding of the raw Ed25519 public key",
      },
    );
  }
  return raw;
}

function publicKeyObject(raw: Buffer): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: "der", type: "spki" });
}

function rawFromKeyObject(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: "spki", format: "der" });
  return spki.subarray(ED25519_SPKI_PREFIX.length);
}

/**
 * The one spelling of a device key this gateway stores: unpadded base64url. Padding, the
 * standard alphabet and unused trailing bits would otherwise give one key several spellings.
 */
export function canonicalDevicePublicKey(publicKeyB64Url: string): string {
  return rawPublicKey(publicKeyB64Url).toString("base64url");
}

/** Lowercase hex SHA-256 of the raw public key bytes (not of their encoding). */
export function deviceIdFromPublicKey(publicKeyB64Url: string): string {
  return createHash("sha256").update(rawPublicKey(publicKeyB64Url)).digest("hex");
}

export function generateDeviceIdentity(): DeviceIdentity {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = rawFromKeyObject(publicKey);
  return {
    deviceId: createHash("sha256").update(raw).digest("hex"),
    publicKey: raw.toString("base64url"),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

export function signDevicePayload(privateKeyPem: string, payload: string): string {
  return sign(null, Buffer.from(payload, "utf8"), createPrivateKey(privateKeyPem)).toString("base64url");
}

/**
 * Checks a `connect` request's device proof. v3 is tried first; v2 is still accepted because
 * OpenClaw clients released before v3 sign it, but it does not bind platform or deviceFamily, so
 * callers must not treat those as proven when `version` is "v2".
 */
export function verifyDeviceSignature(input: DeviceSignatureInput): DeviceSignatureResult {
  const { device } = input;
  // The nonce ties the signature to this connection; without it a captured proof replays.
  if (!safeEqual(device.nonce, input.expectedNonce)) return { ok: false, reason: "nonce_mismatch" };

  let key: KeyObject;
  let deviceId: string;
  try {
    const raw = rawPublicKey(device.publicKey);
    key = publicKeyObject(raw);
    deviceId = createHash("sha256").update(raw).digest("hex");
  } catch {
    return { ok: false, reason: "bad_public_key" };
  }
  if (!safeEqual(device.id, deviceId)) return { ok: false, reason: "id_mismatch" };

  const now = input.now ?? Date.now();
  const maxSkewMs = input.maxSkewMs ?? DEFAULT_DEVICE_SIGNATURE_MAX_SKEW_MS;
  if (!Number.isSafeInteger(device.signedAt) || Math.abs(now - device.signedAt) > maxSkewMs) {
    return { ok: false, reason: "stale" };
  }

  const signature = decodeBase64Url(device.signature);
  if (signature === undefined) return { ok: false, reason: "bad_signature" };
  const params: DeviceAuthPayloadParams = {
    deviceId,
    clientId: input.clientId,
    clientMode: input.clientMode,
    role: input.role,
    scopes: input.scopes,
    signedAtMs: device.signedAt,
    token: input.token,
    nonce: input.expectedNonce,
    platform: input.platform,
    deviceFamily: input.deviceFamily,
  };
  for (const version of ["v3", "v2"] as const) {
    const payload = Buffer.from(buildDeviceAuthPayload(version, params), "utf8");
    try {
      if (verify(null, payload, key, signature)) return { ok: true, deviceId, version };
    } catch {
      // OpenSSL reports some malformed inputs by throwing; to the client it is the same refusal.
      return { ok: false, reason: "bad_signature" };
    }
  }
  return { ok: false, reason: "bad_signature" };
}
