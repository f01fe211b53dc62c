import { describe, expect, it } from "vitest";
import { useStorage } from "./storage-fixture.js";
import { type StorageBackendUnderTest, transcriptEntry, usageEntry } from "./storage-under-test.js";

/** Reopening the same place (a restarted gateway) finds everything that was stored. */
export function describeRestartContract(backend: StorageBackendUnderTest): void {
  describe(`${backend.name}: restart`, () => {
    const fixture = useStorage(backend);

    it("keeps every transcript, however many sessions were open", async () => {
      const keys = Array.from({ length: 40 }, (_, index) => `agent:main:s${index}`);
      for (const key of keys) {
        await fixture.storage.transcripts.append(key, [transcriptEntry(key, `${key} first`)]);
        await fixture.storage.transcripts.append(key, [transcriptEntry(key, `${key} second`)]);
      }
      const request = "agent:main:openai:request:1";
      await fixture.storage.transcripts.append(request, [transcriptEntry(request, "stateless")]);
      const before = await fixture.storage.transcripts.list();
      const reopened = await fixture.restart();
      expect(await reopened.transcripts.list()).toEqual(before);
      for (const key of keys) {
        const { entries } = await reopened.transcripts.read(key);
        expect(entries.map((entry) => entry.content)).toEqual([`${key} first`, `${key} second`]);
      }
      expect((await reopened.transcripts.read(request)).entries.map((entry) => entry.content)).toEqual([
        "stateless",
      ]);
    });

    it("waits on close for appends in flight: what a caller was told was saved is there", async () => {
      const appending = fixture.storage.transcripts.append("s", [
        transcriptEntry("s", "in flight at shutdown"),
      ]);
      const reopened = await fixture.restart();
      await appending;
      expect((await reopened.transcripts.read("s")).entries.map((entry) => entry.content)).toEqual([
        "in flight at shutdown",
      ]);
    });

    it("keeps every usage sum", async () => {
      const sums = [
        usageEntry("2026-03-14T10:00:00.000Z"),
        usageEntry("2026-03-15T10:00:00.000Z", { agent: "b" }),
      ];
      await fixture.storage.usage.record(sums);
      const reopened = await fixture.restart();
      expect(await reopened.usage.query()).toEqual({ entries: sums, damage: [] });
    });

    it("keeps every node and decision, and what was removed stays removed", async () => {
      const nodes = fixture.storage.nodes;
      await nodes.request({ id: "phone", publicKey: "key-phone", displayName: "phone" });
      await nodes.request({ id: "laptop", publicKey: "key-laptop" });
      await nodes.request({ id: "gone", publicKey: "key-gone" });
      await nodes.approve("phone");
      await nodes.remove("gone");
      const before = await nodes.list();
      const reopened = await fixture.restart();
      expect(await reopened.nodes.list()).toEqual(before);
      expect((await reopened.nodes.get("phone"))?.status).toBe("approved");
      expect((await reopened.nodes.pending()).map((node) => node.id)).toEqual(["laptop"]);
      expect(await reopened.nodes.get("gone")).toBeUndefined();
    });
  });
}
