import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ThreadBinding, ThreadBindingPlace } from "../thread-binding-store.js";
import { useStorage } from "./storage-fixture.js";
import type { StorageBackendUnderTest } from "./storage-under-test.js";

const place = (fields: Partial<ThreadBindingPlace> = {}): ThreadBindingPlace => ({
  channel: "telegram",
  accountId: "default",
  peer: { kind: "direct", id: "42" },
  ...fields,
});

const binding = (fields: Partial<ThreadBinding> = {}): ThreadBinding => ({
  ...place(),
  agentId: "analyzer",
  sessionKey: "agent:analyzer:subagent:one",
  parentSessionKey: "agent:lead:telegram:direct:42",
  mode: "session",
  createdAt: 1_000,
  lastActivityAt: 1_000,
  idleHours: 24,
  maxAgeHours: 0,
  ...fields,
});

/** ThreadBindingStore: one binding per place, touch and limits, removal, restarts. */
export function describeThreadBindingContract(backend: StorageBackendUnderTest): void {
  describe(`${backend.name}: thread bindings`, () => {
    const fixture = useStorage(backend);
    const store = () => fixture.storage.threadBindings;

    it("stores a binding whole and finds it by its place only", async () => {
      const stored = binding({ label: "logs", idleHours: 0.0005, maxAgeHours: 1.5 });
      await store().put(stored);
      expect(await store().get(place())).toEqual(stored);
      expect(await store().get(place({ threadId: "7" }))).toBeUndefined();
      expect(await store().get(place({ accountId: "other" }))).toBeUndefined();
      expect(await store().get(place({ peer: { kind: "group", id: "42" } }))).toBeUndefined();
      expect(await store().list()).toEqual([stored]);
    });

    it("keys a thread apart from its conversation, and replaces a binding of the same place", async () => {
      const whole = binding();
      const thread = binding({ threadId: "t1", sessionKey: "agent:analyzer:subagent:two", createdAt: 2_000 });
      await store().put(whole);
      await store().put(thread);
      expect(await store().get(place({ threadId: "t1" }))).toEqual(thread);
      const replaced = binding({
        agentId: "visualizer",
        sessionKey: "agent:visualizer:subagent:3",
        createdAt: 3_000,
      });
      await store().put(replaced);
      expect(await store().list()).toEqual([thread, replaced]);
    });

    it("touches, changes limits, and removes; each a no-op on a place without a binding", async () => {
      await store().put(binding());
      expect(await store().touch(place(), 5_000)).toBe(true);
      expect(await store().touch(place({ threadId: "x" }), 5_000)).toBe(false);
      expect((await store().get(place()))?.lastActivityAt).toBe(5_000);
      expect(await store().update(place(), { idleHours: 2 })).toMatchObject({ idleHours: 2, maxAgeHours: 0 });
      expect(await store().update(place(), { maxAgeHours: 0.25 })).toMatchObject({
        idleHours: 2,
        maxAgeHours: 0.25,
      });
      expect(await store().update(place({ threadId: "x" }), { idleHours: 1 })).toBeUndefined();
      expect(await store().remove(place())).toMatchObject({ agentId: "analyzer", idleHours: 2 });
      expect(await store().remove(place())).toBeUndefined();
      expect(await store().list()).toEqual([]);
    });

    it("keeps every binding across a restart, whatever the places are", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(
            fc.record({
              peerId: fc.string({ minLength: 1, maxLength: 10 }),
              threadId: fc.option(fc.string({ minLength: 1, maxLength: 10 }), { nil: undefined }),
            }),
            { maxLength: 5, selector: (entry) => `${entry.peerId}\u0000${entry.threadId ?? ""}` },
          ),
          async (places) => {
            for (const existing of await store().list()) await store().remove(existing);
            const stored = places.map((entry, index) =>
              binding({
                peer: { kind: "group", id: entry.peerId },
                ...(entry.threadId !== undefined ? { threadId: entry.threadId } : {}),
                createdAt: index,
              }),
            );
            for (const each of stored) await store().put(each);
            expect(await store().list()).toEqual(stored);
          },
        ),
        { numRuns: 15 },
      );
      const before = await store().list();
      const reopened = await fixture.restart();
      expect(await reopened.threadBindings.list()).toEqual(before);
    });
  });
}
