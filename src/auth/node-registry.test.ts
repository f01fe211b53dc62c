import { readFileSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isOpenClawError } from "../errors.js";
import { generateDeviceIdentity } from "./device-identity.js";
import { NODES_FILE_NAME, type NodeRecord, NodeRegistry } from "./node-registry.js";

function device() {
  const identity = generateDeviceIdentity();
  return { id: identity.deviceId, publicKey: identity.publicKey };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

describe("NodeRegistry", () => {
  let stateDir: string;
  let clock: number;
  const now = () => new Date(clock);

  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "openclaw-nodes-"));
    clock = Date.parse("2026-01-02T03:04:05.000Z");
  });
  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  it("records an unknown device as pending", async () => {
    const registry = await NodeRegistry.open(stateDir, { now });
    const phone = device();
    const record = await registry.request({
      ...phone,
      displayName: "Ada's phone",
      platform: "ios",
      remoteAddress: "192.168.1.20",
    });
    expect(record).toEqual({
      id: phone.id,
      publicKey: phone.publicKey,
      displayName: "Ada's phone",
      platform: "ios",
      status: "pending",
      requestedAt: "2026-01-02T03:04:05.000Z",
      lastSeenAt: "2026-01-02T03:04:05.000Z",
      remoteAddress: "192.168.1.20",
    });
    expect(registry.pending().map((node) => node.id)).toEqual([phone.id]);
    expect(registry.get(phone.id)).toEqual(record);
  });

  it("keeps a known device's status and labels, updating when and where it was last seen", async () => {
    const registry = await NodeRegistry.open(stateDir, { now });
    const phone = device();
    await registry.request({ ...phone, displayName: "phone", remoteAddress: "192.168.1.20" });
    await registry.approve(phone.id);
    clock += 60_000;
    const again = await registry.request({
      ...phone,
      displayName: "Admin console",
      remoteAddress: "192.168.1.21",
    });
    expect(again).toMatchObject({
      status: "approved",
      displayName: "phone",
      lastSeenAt: "2026-01-02T03:05:05.000Z",
      remoteAddress: "192.168.1.21",
      requestedAt: "2026-01-02T03:04:05.000Z",
    });
  });

  it("keeps a rejected or revoked device out when it asks again", async () => {
    const registry = await NodeRegistry.open(stateDir, { now });
    const rejected = device();
    const revoked = device();
    await registry.request(rejected);
    await registry.request(revoked);
    await registry.reject(rejected.id);
    await registry.approve(revoked.id);
    await registry.revoke(revoked.id);
    expect((await registry.request(rejected)).status).toBe("rejected");
    expect((await registry.request(revoked)).status).toBe("revoked");
    expect(registry.pending()).toEqual([]);
  });

  it("refuses a known id presented with a different public key, and keeps the pinned one", async () => {
    const registry = await NodeRegistry.open(stateDir, { now });
    const phone = device();
    await registry.request(phone);
    await registry.approve(phone.id);
    const impostor = device();
    const error = await caught(registry.request({ id: phone.id, publicKey: impostor.publicKey }));
    expect(isOpenClawError(error) && error.code).toBe("OC_ERR_FORBIDDEN");
    expect(registry.get(phone.id)?.publicKey).toBe(phone.publicKey);
  });

  it("treats other spellings of the same key as the same key", async () => {
    const registry = await NodeRegistry.open(stateDir, { now });
    const phone = device();
    await registry.request(phone);
    const padded = `${phone.publicKey}=`;
    expect((await registry.request({ ...phone, publicKey: padded })).publicKey).toBe(phone.publicKey);
  });

  it("refuses a request whose public key is not a device key", async () => {
    const registry = await NodeRegistry.open(stateDir, { now });
    const error = await caught(registry.request({ id: "abc", publicKey: "not a key" }));
    expect(isOpenClawError(error) && error.code).toBe("OC_ERR_BAD_REQUEST");
    expect(registry.list()).toEqual([]);
  });

  it("records decisions with their time", async () => {
    const registry = await NodeRegistry.open(stateDir, { now });
    const phone = device();
    await registry.request(phone);
    clock += 5_000;
    const approved = await registry.approve(phone.id);
    expect(approved).toMatchObject({ status: "approved", decidedAt: "2026-01-02T03:04:10.000Z" });
    clock += 5_000;
    expect(await registry.approve(phone.id)).toMatchObject({ decidedAt: "2026-01-02T03:04:10.000Z" });
    const revoked = await registry.revoke(phone.id);
    expect(revoked).toMatchObject({ status: "revoked", decidedAt: "2026-01-02T03:04:15.000Z" });
  });

  it.each(["approve", "reject", "revoke"] as const)(
    "%s of an unknown id is not found, with a hint",
    async (action) => {
      const registry = await NodeRegistry.open(stateDir, { now });
      const error = await caught(registry[action]("no-such-node"));
      expect(isOpenClawError(error) && error.code).toBe("OC_ERR_NOT_FOUND");
      expect(isOpenClawError(error) && error.hint).toContain("openclaw nodes pending");
    },
  );

  it("persists to nodes.json with mode 0600 and survives reopening", async () => {
    const registry = await NodeRegistry.open(stateDir, { now });
    const phone = device();
    const laptop = device();
    await registry.request({ ...phone, displayName: "phone" });
    await registry.request(laptop);
    await registry.approve(phone.id);
    const path = join(stateDir, NODES_FILE_NAME);
    expect((await stat(path)).mode & 0o777).toBe(0o600);

    const reopened = await NodeRegistry.open(stateDir);
    expect(reopened.list()).toEqual(registry.list());
    expect(reopened.get(phone.id)?.status).toBe("approved");
    expect(reopened.pending().map((node) => node.id)).toEqual([laptop.id]);
  });

  it("tightens the mode of a file that was made readable by others", async () => {
    const registry = await NodeRegistry.open(stateDir, { now });
    const phone = device();
    await registry.request(phone);
    const path = join(stateDir, NODES_FILE_NAME);
    await chmod(path, 0o644);
    await registry.approve(phone.id);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it.each([
    ["invalid JSON", "{ nodes: "],
    ["a torn write", '{ "version": 1, "nodes": [ { "id": "x", "publicKey'],
    ["binary data", "\u0089PNG\r\n\u001a\n\u0000\u0000"],
    ["another program's JSON", JSON.stringify({ devices: ["x"] })],
    ["a wrong shape", JSON.stringify({ version: 1, nodes: [{ id: "x", status: "approved" }] })],
    [
      "an unknown status",
      JSON.stringify({ version: 1, nodes: [{ id: "x", publicKey: "k", status: "ok", requestedAt: "t" }] }),
    ],
    ["an unknown version", JSON.stringify({ version: 2, nodes: [] })],
    [
      "a duplicate id",
      JSON.stringify({
        version: 1,
        nodes: [
          { id: "x", publicKey: "k", status: "approved", requestedAt: "t" },
          { id: "x", publicKey: "k", status: "pending", requestedAt: "t" },
        ],
      }),
    ],
  ])("refuses to open a file with %s, naming it, and leaves it alone", async (_problem, content) => {
    const path = join(stateDir, NODES_FILE_NAME);
    await writeFile(path, content, { mode: 0o600 });
    const error = await caught(NodeRegistry.open(stateDir));
    expect(isOpenClawError(error) && error.code).toBe("OC_ERR_CONFIG_PARSE");
    expect(isOpenClawError(error) && error.message).toContain(path);
    // What to do, with the path; never a bare parser message.
    expect(isOpenClawError(error) && error.message).not.toMatch(/Unexpected|JSON\.parse|position \d/);
    expect(isOpenClawError(error) && error.hint).toContain(`mv ${path} ${path}.corrupt`);
    expect(await readFile(path, "utf8")).toBe(content);
  });

  it.each([
    ["zero bytes", ""],
    ["whitespace", "  \n"],
    ["NULs (size on disk before data)", "\u0000\u0000\u0000\u0000"],
  ])("starts with no nodes, saying so, from a file of %s: it holds no approval", async (_what, content) => {
    const path = join(stateDir, NODES_FILE_NAME);
    await writeFile(path, content, { mode: 0o600 });
    const notices: string[] = [];
    const registry = await NodeRegistry.open(stateDir, {
      now,
      onEmptyFile: (message) => notices.push(message),
    });
    expect(registry.list()).toEqual([]);
    expect(notices).toEqual([expect.stringContaining(`${path} is empty`)]);
    const phone = device();
    await registry.request(phone);
    expect(JSON.parse(await readFile(path, "utf8")).nodes).toHaveLength(1);
  });

  it("applies concurrent changes one at a time without losing any", async () => {
    const registry = await NodeRegistry.open(stateDir, { now });
    const devices = Array.from({ length: 20 }, device);
    await Promise.all(devices.map((each) => registry.request(each)));
    await Promise.all(
      devices.map((each, index) => (index % 2 === 0 ? registry.approve(each.id) : registry.reject(each.id))),
    );
    const reopened = await NodeRegistry.open(stateDir);
    expect(reopened.list()).toHaveLength(20);
    expect(reopened.list().filter((node) => node.status === "approved")).toHaveLength(10);
    expect(reopened.list().filter((node) => node.status === "rejected")).toHaveLength(10);
  });

  it("keeps going after a failed change", async () => {
    const registry = await NodeRegistry.open(stateDir, { now });
    const phone = device();
    const results = await Promise.allSettled([
      registry.approve("missing"),
      registry.request(phone),
      registry.approve(phone.id),
    ]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    expect(registry.get(phone.id)?.status).toBe("approved");
  });

  it("announces each persisted change, not a no-op, and stops after unsubscribe", async () => {
    const registry = await NodeRegistry.open(stateDir, { now });
    const seen: Array<Pick<NodeRecord, "id" | "status">> = [];
    const unsubscribe = registry.onChange((record) => seen.push({ id: record.id, status: record.status }));
    const phone = device();
    await registry.request(phone);
    await registry.approve(phone.id);
    await registry.approve(phone.id);
    await registry.revoke(phone.id);
    unsubscribe();
    await registry.approve(phone.id);
    expect(seen).toEqual([
      { id: phone.id, status: "pending" },
      { id: phone.id, status: "approved" },
      { id: phone.id, status: "revoked" },
    ]);
  });

  it("announces only after the change is on disk", async () => {
    const registry = await NodeRegistry.open(stateDir, { now });
    const phone = device();
    await registry.request(phone);
    const statusesOnDisk: string[] = [];
    registry.onChange(() => {
      statusesOnDisk.push(JSON.parse(readFileSync(registry.path, "utf8")).nodes[0].status);
    });
    await registry.revoke(phone.id);
    expect(statusesOnDisk).toEqual(["revoked"]);
  });

  it("does not let callers edit records behind its back", async () => {
    const registry = await NodeRegistry.open(stateDir, { now });
    const phone = device();
    const record = await registry.request(phone);
    record.status = "approved";
    const listed = registry.list()[0]!;
    listed.status = "approved";
    expect(registry.get(phone.id)?.status).toBe("pending");
  });

  it("bounds pending requests by dropping the oldest, never a decided node", async () => {
    const registry = await NodeRegistry.open(stateDir, { now, maxPending: 3 });
    const approved = device();
    await registry.request(approved);
    await registry.approve(approved.id);
    const requests = Array.from({ length: 5 }, device);
    for (const each of requests) {
      clock += 1_000;
      await registry.request(each);
    }
    expect(registry.pending().map((node) => node.id)).toEqual(requests.slice(2).map((each) => each.id));
    expect(registry.get(approved.id)?.status).toBe("approved");
  });
});
