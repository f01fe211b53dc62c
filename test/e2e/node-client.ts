import { buildDeviceAuthPayload, generateDeviceIdentity, signDevicePayload } from "../../src/auth/index.js";
import { type Frame, TestWsClient } from "./ws-client.js";

export type DeviceIdentity = ReturnType<typeof generateDeviceIdentity>;
export { generateDeviceIdentity };

/**
 * Connects as a node the way OpenClaw's node clients do: the device signs this connection's
 * challenge nonce (v3 payload). `nonce` replays another connection's nonce instead.
 */
export async function connectNode(
  url: string,
  identity: DeviceIdentity,
  options: { token?: string; headers?: Record<string, string>; nonce?: string } = {},
): Promise<{ client: TestWsClient; response: Frame; nonce: string }> {
  const client = await TestWsClient.open(url, options.headers ?? {});
  const challenge = await client.waitFor((frame) => frame.event === "connect.challenge");
  const nonce = options.nonce ?? String(challenge.payload?.nonce);
  const signedAt = Date.now();
  const payload = buildDeviceAuthPayload("v3", {
    deviceId: identity.deviceId,
    clientId: "node-host",
    clientMode: "node",
    role: "node",
    scopes: [],
    signedAtMs: signedAt,
    token: options.token ?? "",
    nonce,
    platform: "linux",
  });
  const response = await client.request("connect", {
    minProtocol: 3,
    maxProtocol: 4,
    client: { id: "node-host", version: "1.0.0", platform: "linux", mode: "node", displayName: "test node" },
    role: "node",
    scopes: [],
    ...(options.token ? { auth: { token: options.token } } : {}),
    device: {
      id: identity.deviceId,
      publicKey: identity.publicKey,
      signature: signDevicePayload(identity.privateKeyPem, payload),
      signedAt,
      nonce,
    },
  });
  return { client, response, nonce: String(challenge.payload?.nonce) };
}
