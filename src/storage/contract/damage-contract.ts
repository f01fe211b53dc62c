import { describe, expect, it } from "vitest";
import { useStorage } from "./storage-fixture.js";
import { type StorageBackendUnderTest, transcriptEntry, usageEntry } from "./storage-under-test.js";

const MINUTE = "2026-03-15T10:00:00.000Z";

/**
 * What a restart finds after a kill, a full disk or another program damaged what was stored:
 * the good data is read, the damage is reported (never thrown for transcripts and usage), the
 * next write makes the store whole again; a damaged node registry is refused, never replaced.
 */
export function describeDamageContract(backend: StorageBackendUnderTest): void {
  describe.skipIf(!backend.damageable)(`${backend.name}: damaged data`, () => {
    const fixture = useStorage(backend);
    const contents = async (sessionKey: string) =>
      (await fixture.storage.transcripts.read(sessionKey)).entries.map((entry) => entry.content);

    it("reads a torn transcript up to its last whole entry, reports the cut line, and heals on append", async () => {
      await fixture.storage.transcripts.append("s", [transcriptEntry("s", "whole")]);
      await fixture.storage.transcripts.append("s", [transcriptEntry("s", "an answer cut by a kill")]);
      const restarted = await fixture.restartDamaged({ store: "transcripts", sessionKey: "s", kind: "torn" });
      const read = await restarted.transcripts.read("s");
      expect(read.entries.map((entry) => entry.content)).toEqual(["whole"]);
      expect(read.damage).toMatchObject({ count: 1, lines: [{ line: 2, kind: "torn" }] });
      await restarted.transcripts.append("s", [transcriptEntry("s", "acknowledged")]);
      expect(await restarted.transcripts.read("s")).toMatchObject({ damage: undefined });
      expect(await contents("s")).toEqual(["whole", "acknowledged"]);
    });

    it("skips and reports what another program wrote into a transcript, keeping the entries around it", async () => {
      await fixture.storage.transcripts.append("s", [transcriptEntry("s", "one")]);
      const restarted = await fixture.restartDamaged({
        store: "transcripts",
        sessionKey: "s",
        kind: "foreign",
      });
      await restarted.transcripts.append("s", [transcriptEntry("s", "two")]);
      const read = await restarted.transcripts.read("s");
      expect(read.entries.map((entry) => entry.content)).toEqual(["one", "two"]);
      expect(read.damage?.count).toBeGreaterThan(0);
      expect(read.damage?.lines.every((line) => line.kind !== "torn")).toBe(true);
    });

    it("reads an empty transcript as no entries, without damage, and appends to it", async () => {
      await fixture.storage.transcripts.append("s", [transcriptEntry("s", "lost with the file's content")]);
      const restarted = await fixture.restartDamaged({
        store: "transcripts",
        sessionKey: "s",
        kind: "empty",
      });
      expect(await restarted.transcripts.read("s")).toEqual({ entries: [], damage: undefined });
      await restarted.transcripts.append("s", [transcriptEntry("s", "after")]);
      expect(await contents("s")).toEqual(["after"]);
    });

    it("counts the whole sums of a torn usage day, reports the cut one, and heals on record", async () => {
      await fixture.storage.usage.record([
        usageEntry(MINUTE, { input: 1 }),
        usageEntry(MINUTE, { input: 2 }),
      ]);
      const restarted = await fixture.restartDamaged({ store: "usage", day: "2026-03-15", kind: "torn" });
      const read = await restarted.usage.query();
      expect(read.entries.map((entry) => entry.input)).toEqual([1]);
      expect(read.damage).toEqual([
        expect.objectContaining({ count: 1, lines: [{ line: 2, kind: "torn" }] }),
      ]);
      await restarted.usage.record([usageEntry(MINUTE, { input: 4 })]);
      const healed = await restarted.usage.query();
      expect(healed.entries.map((entry) => entry.input)).toEqual([1, 4]);
      expect(healed.damage).toEqual([]);
    });

    it("never counts what another program wrote among the usage sums, and says so", async () => {
      await fixture.storage.usage.record([usageEntry(MINUTE, { input: 1 })]);
      const restarted = await fixture.restartDamaged({ store: "usage", day: "2026-03-15", kind: "foreign" });
      await restarted.usage.record([usageEntry(MINUTE, { input: 2 })]);
      const read = await restarted.usage.query();
      expect(read.entries.map((entry) => entry.input)).toEqual([1, 2]);
      expect(read.damage).toHaveLength(1);
    });

    it("reads an empty usage day as nothing, and records into it", async () => {
      await fixture.storage.usage.record([usageEntry(MINUTE)]);
      const restarted = await fixture.restartDamaged({ store: "usage", day: "2026-03-15", kind: "empty" });
      expect(await restarted.usage.query()).toEqual({ entries: [], damage: [] });
      await restarted.usage.record([usageEntry(MINUTE, { input: 7 })]);
      expect((await restarted.usage.query()).entries.map((entry) => entry.input)).toEqual([7]);
    });

    it("starts with no nodes from an empty registry (it holds no approval), and takes requests", async () => {
      await fixture.storage.nodes.request({ id: "phone", publicKey: "key-phone" });
      const restarted = await fixture.restartDamaged({ store: "nodes", kind: "empty" });
      expect(await restarted.nodes.list()).toEqual([]);
      await restarted.nodes.request({ id: "laptop", publicKey: "key-laptop" });
      expect((await restarted.nodes.list()).map((node) => node.id)).toEqual(["laptop"]);
    });

    it.each(["torn", "foreign"] as const)(
      "refuses a %s node registry, reads and writes alike, naming where it is",
      async (kind) => {
        await fixture.storage.nodes.request({ id: "phone", publicKey: "key-phone" });
        await fixture.storage.nodes.approve("phone");
        const restarted = await fixture.restartDamaged({ store: "nodes", kind });
        const refusal = {
          code: "OC_ERR_CONFIG_PARSE",
          message: expect.stringContaining(restarted.nodes.location),
        };
        await expect(restarted.nodes.list()).rejects.toMatchObject(refusal);
        await expect(
          restarted.nodes.request({ id: "laptop", publicKey: "key-laptop" }),
        ).rejects.toMatchObject(refusal);
        await expect(restarted.nodes.approve("phone")).rejects.toMatchObject(refusal);
      },
    );
  });
}
