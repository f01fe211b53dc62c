import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { generateDeviceIdentity } from "../auth/device-identity.js";
import { defaultConfig } from "../config/load.js";
import { createLogger } from "../logging/index.js";
import { Redactor } from "../secrets/index.js";
import { createMemoryStorage, MemoryLocation } from "../storage/memory/index.js";
import { GatewayCredentials } from "./gateway-credentials.js";
import { GatewaySecurity } from "./gateway-security.js";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Three gateways' security on one memory location: a cluster sharing nodes, keys, counters. */
async function cluster() {
  const location = new MemoryLocation();
  const config = defaultConfig();
  const logger = createLogger({ level: "silent" });
  const gateways: GatewaySecurity[] = [];
  for (let index = 0; index < 3; index++) {
    const stateDir = await mkdtemp(join(tmpdir(), "oc-security-cluster-"));
    dirs.push(stateDir);
    const redactor = new Redactor();
    gateways.push(
      await GatewaySecurity.open({
        stateDir,
        storage: createMemoryStorage(location),
        credentials: new GatewayCredentials(logger, redactor, join(stateDir, "openclaw.json")),
        redactor,
        logger,
        config,
      }),
    );
  }
  return { location, gateways };
}

const delivered = () => new Promise((resolve) => setImmediate(resolve));

describe("GatewaySecurity on a shared storage", () => {
  it("accepts on B a device paired on A, and ends its access on B when A revokes it", async () => {
    const {
      gateways: [a, b, c],
    } = await cluster();
    const identity = generateDeviceIdentity();
    await a!.nodes.request({ id: identity.deviceId, publicKey: identity.publicKey });
    expect(b!.nodes.get(identity.deviceId)?.status).toBe("pending");
    await a!.nodes.approve(identity.deviceId);
    expect(b!.nodes.get(identity.deviceId)?.status).toBe("approved");
    expect(c!.nodes.get(identity.deviceId)?.status).toBe("approved");

    // Connected to B, holding a capability minted on C.
    const closed: string[] = [];
    b!.attachNode(identity.deviceId, { close: (reason) => closed.push(reason) });
    const { token } = c!.capabilities.issue({
      nodeId: identity.deviceId,
      sessionKey: "agent:main:main",
      surfaces: ["canvas"],
    });
    expect(b!.capabilities.verify(token, "canvas").ok).toBe(true);

    await a!.nodes.revoke(identity.deviceId);
    expect(b!.nodes.get(identity.deviceId)?.status).toBe("revoked");
    expect(closed).toEqual(["node revoked"]);
    expect(b!.isNodeConnected(identity.deviceId)).toBe(false);
    await Promise.all([a!, b!, c!].map((gateway) => gateway.capabilities.settled()));
    await delivered();
    for (const gateway of [a!, b!, c!]) {
      expect(gateway.capabilities.verify(token, "canvas")).toEqual({ ok: false, reason: "revoked" });
    }
  });

  it("refuses on A a capability whose session ended on B", async () => {
    const {
      gateways: [a, b],
    } = await cluster();
    const grant = { nodeId: "node-1", sessionKey: "agent:main:node:node-1", surfaces: ["a2ui" as const] };
    const { token } = a!.capabilities.issue(grant);
    b!.capabilities.endSession(grant.nodeId, grant.sessionKey);
    await b!.capabilities.settled();
    await delivered();
    expect(a!.capabilities.verify(token, "a2ui")).toEqual({ ok: false, reason: "revoked" });
    expect(a!.capabilities.verify(a!.capabilities.issue(grant).token, "a2ui").ok).toBe(true);
  });

  it("locks an address on every gateway when its failures are spread over them", async () => {
    const { gateways } = await cluster();
    const config = defaultConfig();
    for (const gateway of gateways) await gateway.apply(config, "127.0.0.1");
    const { maxAttempts } = config.gateway.auth.rateLimit;
    const attempt = { socketAddress: "10.0.0.9", headers: { authorization: "Bearer wrong" } };
    for (let index = 0; index < maxAttempts; index++) {
      expect(await gateways[index % 3]!.auth.authenticate(attempt)).toMatchObject({ status: 401 });
    }
    for (const gateway of gateways) {
      expect(await gateway.auth.authenticate(attempt)).toMatchObject({ status: 429 });
    }
  });

  it("DM pairing approved through one gateway's storage admits the sender on another's", async () => {
    const location = new MemoryLocation();
    const [a, b] = [createMemoryStorage(location), createMemoryStorage(location)];
    const asked = await a.channelPairing.request({
      channel: "telegram",
      accountId: "default",
      senderId: "42",
      peerId: "42",
    });
    expect(asked.status).toBe("created");
    const code = asked.status === "created" ? asked.request.code : "";
    expect(await b.channelPairing.isApproved("telegram", "default", "42")).toBe(false);
    expect(await b.channelPairing.approve("telegram", code)).toBeDefined();
    expect(await a.channelPairing.isApproved("telegram", "default", "42")).toBe(true);
  });
});
