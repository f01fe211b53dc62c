import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importSource, runTypeScriptChild } from "../../testing/typescript-child.js";
import { fillDisk, recordingHealth } from "../sqlite/testing/full-disk.js";
import type { Storage } from "../storage.js";
import { CHANNELS_DATABASE_PATH, ChannelDatabase } from "./channel-database.js";
import { SqliteChannelInboxStore } from "./channel-inbox-sqlite.js";
import { CHANNELS_SCHEMA_VERSION } from "./channel-schema.js";
import { createFileStorage, type FileStorageOptions } from "./file-storage.js";

const message = (messageId: string, text = `text of ${messageId}`) => ({
  channel: "telegram",
  accountId: "default",
  messageId,
  text,
});
const asker = (senderId: string) => ({
  channel: "telegram",
  accountId: "default",
  senderId,
  peerId: senderId,
});

describe("files storage: the channel database", () => {
  let stateDir: string;
  let path: string;
  let open: Storage[];
  const storage = (options: FileStorageOptions = {}) => {
    const opened = createFileStorage(stateDir, options);
    open.push(opened);
    return opened;
  };
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), "openclaw-channels-"));
    path = join(stateDir, CHANNELS_DATABASE_PATH);
    open = [];
  });
  afterEach(async () => {
    await Promise.all(open.map((each) => each.close()));
    await rm(stateDir, { recursive: true, force: true });
  });

  it("is created at first write as channels/channels.sqlite, owner-only with its -wal and -shm", async () => {
    const gateway = storage();
    await gateway.channelInbox.add([message("1")]);
    expect(await readdir(join(stateDir, "channels"))).toEqual(
      expect.arrayContaining(["channels.sqlite", "channels.sqlite-wal", "channels.sqlite-shm"]),
    );
    expect((await stat(join(stateDir, "channels"))).mode & 0o777).toBe(0o700);
    for (const file of [path, `${path}-wal`, `${path}-shm`])
      expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("syncs every commit to its WAL, waits 5 s for a lock, and records its schema version", async () => {
    const database = new ChannelDatabase(stateDir);
    const pragma = (name: string) =>
      database.read(() => Object.values(database.statement(`PRAGMA ${name}`).get() ?? {})[0]);
    expect(pragma("journal_mode")).toBe("wal");
    expect(pragma("synchronous")).toBe(2); // FULL
    expect(pragma("busy_timeout")).toBe(5000);
    expect(pragma("user_version")).toBe(CHANNELS_SCHEMA_VERSION);
    database.close();
  });

  it("touches nothing until written: a gateway without channels, or reads of nothing, create no file", async () => {
    const gateway = storage();
    expect(await gateway.channelInbox.unfinished()).toEqual([]);
    expect(await gateway.channelInbox.get(1)).toBeUndefined();
    expect(await gateway.channelInbox.depth()).toEqual({});
    expect(await gateway.channelInbox.prune(Date.now())).toBe(0);
    expect(await gateway.channelInbox.add([])).toEqual({ added: [], duplicates: 0 });
    await expect(gateway.channelInbox.drop(1, "x")).rejects.toMatchObject({ code: "OC_ERR_NOT_FOUND" });
    expect(await gateway.channelPairing.pending()).toEqual([]);
    expect(await gateway.channelPairing.approvals()).toEqual([]);
    expect(await gateway.channelPairing.isApproved("telegram", "default", "1")).toBe(false);
    expect(await gateway.channelPairing.approve("telegram", "ABCDEFGH")).toBeUndefined();
    expect(await gateway.channelPairing.dismiss("telegram", "ABCDEFGH")).toBe(false);
    expect(await gateway.channelPairing.revoke("telegram", "default", "1")).toBe(false);
    await gateway.close();
    expect(await readdir(stateDir)).toEqual([]);
  });

  it("starts a new database in an empty file", async () => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, "");
    const gateway = storage();
    expect((await gateway.channelPairing.request(asker("1"))).status).toBe("created");
    await gateway.close();
    expect((await readFile(path)).subarray(0, 15).toString()).toBe("SQLite format 3");
  });

  describe("refuses a file that is not its database, says how to recover, and leaves it as it was", () => {
    const sqliteBytes = async () => {
      const donor = new DatabaseSync(join(stateDir, "donor.sqlite"));
      donor.exec("PRAGMA journal_mode = DELETE; CREATE TABLE t (x); INSERT INTO t VALUES (1);");
      donor.close();
      const bytes = await readFile(join(stateDir, "donor.sqlite"));
      await rm(join(stateDir, "donor.sqlite"));
      return bytes;
    };
    it.each([
      [
        "another program's bytes",
        async () => Buffer.from("PK\u0003\u0004 not a database at all\n".repeat(40)),
      ],
      ["a header cut short", async () => (await sqliteBytes()).subarray(0, 50)],
      ["a first page cut short", async () => (await sqliteBytes()).subarray(0, 150)],
    ])("%s", async (_, bytes) => {
      const damaged = await bytes();
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFile(path, damaged);
      const gateway = storage();
      for (const call of [
        () => gateway.channelInbox.add([message("1")]),
        () => gateway.channelInbox.unfinished(),
        () => gateway.channelPairing.isApproved("telegram", "default", "1"),
      ]) {
        await expect(call()).rejects.toMatchObject({
          code: "OC_ERR_STATE_FILE",
          message: expect.stringContaining(path),
          hint: expect.stringContaining(`mv ${path} ${path}.corrupt`),
        });
      }
      expect(await readFile(path)).toEqual(damaged);
      expect(await readdir(dirname(path))).toEqual(["channels.sqlite"]);
      // Moved aside as the hint says, the same gateway starts a new one: no restart needed.
      await rename(path, `${path}.corrupt`);
      expect((await gateway.channelInbox.add([message("1")])).added).toHaveLength(1);
    });

    it("a database from a newer gateway", async () => {
      const database = new ChannelDatabase(stateDir);
      database.write(() => database.statement(`PRAGMA user_version = ${CHANNELS_SCHEMA_VERSION + 1}`).run());
      database.close();
      const before = await readFile(path);
      await expect(storage().channelPairing.approvals()).rejects.toMatchObject({
        code: "OC_ERR_STATE_FILE",
        message: expect.stringContaining(`schema version ${CHANNELS_SCHEMA_VERSION + 1}`),
        hint: expect.stringContaining(path),
      });
      expect(await readFile(path)).toEqual(before);
    });
  });

  it("fails a write whole on a full disk, as OC_ERR_DISK_FULL, and tells the state dir's health", async () => {
    const { health, reports } = recordingHealth();
    const database = new ChannelDatabase(stateDir, { health });
    const inbox = new SqliteChannelInboxStore(database);
    await inbox.add([message("small")]);
    const freeSpace = fillDisk(database);
    const big = "x".repeat(64 * 1024);
    await expect(inbox.add([message("a", big), message("b", big)])).rejects.toMatchObject({
      code: "OC_ERR_DISK_FULL",
      message: expect.stringContaining(path),
    });
    expect((await inbox.unfinished()).map((entry) => entry.message.messageId)).toEqual(["small"]);
    freeSpace();
    expect((await inbox.add([message("a", big)])).added).toHaveLength(1);
    expect(reports).toEqual(["channels ok", `channels failed ${path}`, "channels ok"]);
    database.close();
  });

  it("shares approvals with a second storage on the state dir, as the CLI while the gateway runs", async () => {
    const gateway = storage();
    const request = await gateway.channelPairing.request(asker("42"));
    const cli = storage();
    expect(await cli.channelPairing.pending()).toEqual([request.status === "created" && request.request]);
    expect(
      await cli.channelPairing.approve("telegram", request.status === "created" ? request.request.code : ""),
    ).toMatchObject({ senderId: "42" });
    await cli.close();
    expect(await gateway.channelPairing.isApproved("telegram", "default", "42")).toBe(true);
    expect(await gateway.channelPairing.pending()).toEqual([]);
    expect(await gateway.channelPairing.revoke("telegram", "default", "42")).toBe(true);
    expect(await storage().channelPairing.approvals()).toEqual([]);
  });

  it("keeps what an add said it stored when the process is SIGKILLed right after", async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const { signal, stdout, stderr } = await runTypeScriptChild(
      `const { ChannelDatabase } = ${importSource(join(here, "channel-database.ts"))};
const { SqliteChannelInboxStore } = ${importSource(join(here, "channel-inbox-sqlite.ts"))};
const inbox = new SqliteChannelInboxStore(new ChannelDatabase(process.argv[2]));
const { added } = await inbox.add([1, 2, 3].map((n) => ({ channel: "telegram", accountId: "default", messageId: String(n) })));
process.stdout.write(JSON.stringify(added.map((entry) => entry.id)));
process.kill(process.pid, "SIGKILL");
`,
      [stateDir],
    );
    expect(stderr).toBe("");
    expect(signal).toBe("SIGKILL");
    const ids = JSON.parse(stdout) as number[];
    expect(ids).toHaveLength(3);
    const entries = await storage().channelInbox.unfinished();
    expect(entries.map((entry) => [entry.id, entry.message.messageId, entry.state])).toEqual([
      [ids[0], "1", "pending"],
      [ids[1], "2", "pending"],
      [ids[2], "3", "pending"],
    ]);
  });
  it("keeps a thread binding it said it stored when the process is SIGKILLed right after", async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const { signal, stdout, stderr } = await runTypeScriptChild(
      `const { ChannelDatabase } = ${importSource(join(here, "channel-database.ts"))};
const { SqliteThreadBindingStore } = ${importSource(join(here, "thread-binding-sqlite.ts"))};
const store = new SqliteThreadBindingStore(new ChannelDatabase(process.argv[2]));
await store.put({ channel: "telegram", accountId: "default", peer: { kind: "direct", id: "42" },
  agentId: "analyzer", sessionKey: "agent:analyzer:subagent:k", parentSessionKey: "agent:lead:main",
  mode: "session", createdAt: 1, lastActivityAt: 1, idleHours: 0.5, maxAgeHours: 0 });
process.stdout.write("stored");
process.kill(process.pid, "SIGKILL");
`,
      [stateDir],
    );
    expect(stderr).toBe("");
    expect(signal).toBe("SIGKILL");
    expect(stdout).toBe("stored");
    expect(await storage().threadBindings.list()).toMatchObject([
      { agentId: "analyzer", sessionKey: "agent:analyzer:subagent:k", idleHours: 0.5 },
    ]);
  });
});
