import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeDisk } from "../../append-only/testing/fake-disk.js";
import {
  describeStorageContract,
  type StorageDamage,
  type StoragePlace,
  TestClock,
  transcriptEntry,
  usageEntry,
} from "../contract/index.js";
import { createFileStorage, type FileStorageOptions } from "./file-storage.js";
import { NODES_FILE_NAME } from "./nodes-file.js";
import { sessionFileName } from "./transcript-file-names.js";

/** The file a damage lands in. */
function damagedPath(stateDir: string, damage: StorageDamage): string {
  if (damage.store === "transcripts") return join(stateDir, "sessions", sessionFileName(damage.sessionKey));
  if (damage.store === "usage") return join(stateDir, "usage", `usage-${damage.day}.jsonl`);
  return join(stateDir, NODES_FILE_NAME);
}

/** What another program might leave in each kind of file. */
const FOREIGN = {
  transcripts: 'written by an editor, not JSON\n{"some":"other program"}\n',
  usage: '{"minute":"2026-03-15T10:00:00.000Z","agent":"main"}\n',
  nodes: `${JSON.stringify({ devices: ["phone"] })}\n`,
};

/**
 * A state dir for the contract suite, damaged as a kill (a last line cut midway, nodes.json cut
 * mid-write), another program (a foreign line, another JSON file) or a write that never came
 * (zero bytes) leaves it.
 */
function fileStoragePlace(
  stateDir: string,
  extra: FileStorageOptions = {},
): StoragePlace & { stateDir: string } {
  return {
    stateDir,
    open: async (options) => createFileStorage(stateDir, { ...extra, ...options }),
    damage: async (damage) => {
      const path = damagedPath(stateDir, damage);
      if (damage.kind === "empty") return writeFile(path, "");
      if (damage.kind === "foreign") {
        if (damage.store === "nodes") return writeFile(path, FOREIGN.nodes);
        return writeFile(path, `${await readFile(path, "utf8")}${FOREIGN[damage.store]}`);
      }
      const text = await readFile(path, "utf8");
      // Midway through the last line (JSONL) or through the whole document (nodes.json).
      const lastLineStart = damage.store === "nodes" ? 0 : text.lastIndexOf("\n", text.length - 2) + 1;
      return truncate(
        path,
        Buffer.byteLength(text.slice(0, lastLineStart + Math.floor((text.length - lastLineStart) / 2))),
      );
    },
    dispose: async () => undefined,
  };
}

describeStorageContract({
  name: "files",
  shared: false,
  damageable: true,
  createPlace: async () => {
    const stateDir = await mkdtemp(join(tmpdir(), "openclaw-storage-"));
    const place = fileStoragePlace(stateDir);
    return { ...place, dispose: () => rm(stateDir, { recursive: true, force: true }) };
  },
});

describe("files storage: what is on disk", () => {
  let stateDir: string;
  const clock = new TestClock();
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "openclaw-storage-"));
  });
  afterEach(() => rm(stateDir, { recursive: true, force: true }));

  it("keeps the state dir's layout: sessions/*.jsonl, usage/usage-<day>.jsonl, nodes.json, all owner-only", async () => {
    const storage = createFileStorage(stateDir, { now: clock.now });
    await storage.transcripts.append("agent:main:main", [transcriptEntry("agent:main:main", "hi")]);
    await storage.transcripts.append("agent:main:openai:request:1", [
      transcriptEntry("agent:main:openai:request:1", "q"),
    ]);
    await storage.usage.record([usageEntry("2026-03-15T10:00:00.000Z")]);
    await storage.nodes.request({ id: "phone", publicKey: "key-phone" });
    await storage.close();
    expect((await readdir(join(stateDir, "sessions"))).sort()).toEqual([
      sessionFileName("agent:main:main"),
      "requests-2026-03-15.jsonl",
    ]);
    expect(await readdir(join(stateDir, "usage"))).toEqual(["usage-2026-03-15.jsonl"]);
    for (const path of [
      join(stateDir, "sessions", sessionFileName("agent:main:main")),
      join(stateDir, "usage", "usage-2026-03-15.jsonl"),
      join(stateDir, "nodes.json"),
    ]) {
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    }
    for (const directory of ["sessions", "usage"]) {
      expect((await stat(join(stateDir, directory))).mode & 0o777).toBe(0o700);
    }
  });

  it("stores a record across days whole or not at all: a later day refused takes the earlier back", async () => {
    const disk = new FakeDisk();
    const storage = createFileStorage(stateDir, { open: disk.open });
    await storage.usage.record([usageEntry("2026-03-14T10:00:00.000Z", { input: 1 })]);
    const before = await readFile(join(stateDir, "usage", "usage-2026-03-14.jsonl"), "utf8");
    const line = Buffer.byteLength(`${JSON.stringify(usageEntry("2026-03-14T10:00:00.000Z"))}\n`);
    disk.free = line + 10; // the first day fits, the second does not
    const straddling = [usageEntry("2026-03-14T23:59:00.000Z"), usageEntry("2026-03-15T00:00:00.000Z")];
    await expect(storage.usage.record(straddling)).rejects.toMatchObject({ code: "ENOSPC" });
    expect(await readFile(join(stateDir, "usage", "usage-2026-03-14.jsonl"), "utf8")).toBe(before);
    expect((await storage.usage.query()).entries.map((entry) => entry.input)).toEqual([1]);
    disk.free = undefined;
    await storage.usage.record(straddling);
    expect((await storage.usage.query()).entries).toHaveLength(3);
    await storage.close();
  });

  it("touches nothing until used: opening it to read usage creates no file", async () => {
    const storage = createFileStorage(stateDir);
    expect(await storage.usage.query()).toEqual({ entries: [], damage: [] });
    await storage.close();
    expect(await readdir(stateDir)).toEqual([]);
  });

  it.each(["torn", "foreign"] as const)("leaves a %s nodes.json as it found it", async (kind) => {
    const place = fileStoragePlace(stateDir);
    const first = await place.open({ now: clock.now });
    await first.nodes.request({ id: "phone", publicKey: "key-phone" });
    await first.close();
    await place.damage?.({ store: "nodes", kind });
    const damaged = await readFile(join(stateDir, "nodes.json"), "utf8");
    const second = await place.open({ now: clock.now });
    await expect(second.nodes.request({ id: "laptop", publicKey: "key-laptop" })).rejects.toMatchObject({
      code: "OC_ERR_CONFIG_PARSE",
      hint: expect.stringContaining(".corrupt"),
    });
    await second.close();
    expect(await readFile(join(stateDir, "nodes.json"), "utf8")).toBe(damaged);
  });

  it("says so when nodes.json is empty", async () => {
    const notices: string[] = [];
    const place = fileStoragePlace(stateDir, { onEmptyNodesFile: (message) => notices.push(message) });
    const first = await place.open({ now: clock.now });
    await first.nodes.request({ id: "phone", publicKey: "key-phone" });
    await first.close();
    await place.damage?.({ store: "nodes", kind: "empty" });
    const second = await place.open({ now: clock.now });
    expect(await second.nodes.list()).toEqual([]);
    await second.close();
    expect(notices).toEqual([expect.stringContaining("nodes.json is empty")]);
  });
});
