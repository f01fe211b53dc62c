import { verifyDeviceSignature } from "../../auth/index.js";
import type { ErrorShape } from "./frames.js";

export interface PresentedDevice {
  id: string;
  publicKey: string;
  signature: string;
  signedAt: number;
  nonce: string;
}

export interface DeviceClaim {
  device: PresentedDevice;
  /** This connection's `connect.challenge` nonce. */
  nonce: string;
  role: string;
  /** Exactly as the client sent them: the signature covers their order. */
  scopes: string[];
  client: { id: string; mode: string; platform?: string; deviceFamily?: string };
  /** The token the client signed with: its shared token, else its bootstrap token, else none. */
  token?: string;
}

export type DeviceVerdict = { ok: true; deviceId: string } | { ok: false; error: ErrorShape };

const REFUSALS = {
  nonce_mismatch: {
    code: "DEVICE_AUTH_NONCE_MISMATCH",
    reason: "device-nonce-mismatch",
    text: "nonce mismatch",
  },
  id_mismatch: {
    code: "DEVICE_AUTH_DEVICE_ID_MISMATCH",
    reason: "device-id-mismatch",
    text: "identity mismatch",
  },
  bad_public_key: {
    code: "DEVICE_AUTH_PUBLIC_KEY_INVALID",
    reason: "device-public-key",
    text: "public key invalid",
  },
  bad_signature: {
    code: "DEVICE_AUTH_SIGNATURE_INVALID",
    reason: "device-signature",
    text: "signature invalid",
  },
  stale: {
    code: "DEVICE_AUTH_SIGNATURE_EXPIRED",
    reason: "device-signature-stale",
    text: "signature expired",
  },
} as const;

/**
 * Checks a `connect`'s signed device identity (v3, or v2 from older clients) against this
 * connection's challenge. Refusals carry the protocol's DEVICE_AUTH_* codes; `reason` keeps this
 * gateway's own spelling (`device_<refusal>`) that its logs and tests already use.
 */
export function verifyPresentedDevice(claim: DeviceClaim): DeviceVerdict {
  const verdict = verifyDeviceSignature({
    device: claim.device,
    expectedNonce: claim.nonce,
    clientId: claim.client.id,
    clientMode: claim.client.mode,
    role: claim.role,
    scopes: claim.scopes,
    ...(claim.token !== undefined ? { token: claim.token } : {}),
    ...(claim.client.platform !== undefined ? { platform: claim.client.platform } : {}),
    ...(claim.client.deviceFamily !== undefined ? { deviceFamily: claim.client.deviceFamily } : {}),
  });
  if (verdict.ok) return { ok: true, deviceId: verdict.deviceId };
  const refusal = REFUSALS[verdict.reason];
  return {
    ok: false,
    error: {
      code: "UNAUTHORIZED",
      message: `device ${refusal.text}: sign the v3 device payload over this connection's connect.challenge nonce`,
      details: {
        code: refusal.code,
        reason: `device_${verdict.reason}`,
        protocolReason: refusal.reason,
        ocCode: "OC_ERR_UNAUTHORIZED",
      },
    },
  };
}
