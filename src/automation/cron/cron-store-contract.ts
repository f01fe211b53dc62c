import { describe, expect, it } from "vitest";
import type { CronJob } from "./cron-job.js";
import type { CronRunStart, CronStore } from "./cron-store.js";

/** Test code: what every CronStore backend must do (run by cron-store.test.ts for each). */
export function cronStoreContract(
  name: string,
  open: () => Promise<{ store: CronStore; reopen?: () => Promise<CronStore> }>,
) {
  const job = (id: string, extra: Partial<CronJob> = {}): CronJob => ({
    id,
    name: `job-${id}`,
    agentId: "main",
    schedule: { kind: "every", everyMs: 1000, anchorMs: 0 },
    message: "hello",
    session: { kind: "isolated" },
    missed: "skip",
    enabled: true,
    createdAtMs: 1,
    updatedAtMs: 1,
    ...extra,
  });
  const start = (extra: Partial<CronRunStart> = {}): CronRunStart => ({
    trigger: "schedule",
    startedAtMs: 100,
    outcome: "running",
    runId: "r",
    ...extra,
  });

  describe(`CronStore contract: ${name}`, () => {
    it("adds, finds by id or name, lists in order, updates and removes", async () => {
      const { store } = await open();
      await store.add(job("a"));
      await store.add(job("b", { createdAtMs: 2, deliver: { channel: "telegram", target: "1" } }));
      await expect(store.add(job("c", { name: "job-a" }))).rejects.toMatchObject({
        code: "OC_ERR_BAD_REQUEST",
      });
      expect((await store.find("job-b"))?.id).toBe("b");
      expect((await store.find("a"))?.name).toBe("job-a");
      expect(await store.find("zzz")).toBeUndefined();
      expect((await store.list()).map((each) => each.id)).toEqual(["a", "b"]);
      await store.update({ ...job("a"), message: "changed", enabled: false });
      expect(await store.get("a")).toMatchObject({ message: "changed", enabled: false });
      await expect(store.update({ ...job("a"), name: "job-b" })).rejects.toMatchObject({
        code: "OC_ERR_BAD_REQUEST",
      });
      expect(await store.remove("a")).toBe(true);
      expect(await store.remove("a")).toBe(false);
      expect((await store.list()).map((each) => each.id)).toEqual(["b"]);
      expect((await store.get("b"))?.deliver).toEqual({ channel: "telegram", target: "1" });
      await store.close();
    });

    it("claims each slot at most once, and never a slot at or before the last claimed", async () => {
      const { store } = await open();
      await store.add(job("a"));
      const first = await store.claimSlot("a", 1000, start());
      expect(first).toMatchObject({ jobId: "a", slotMs: 1000, outcome: "running" });
      expect(await store.claimSlot("a", 1000, start())).toBeUndefined();
      expect(await store.claimSlot("a", 500, start())).toBeUndefined();
      expect(await store.claimSlot("missing", 1000, start())).toBeUndefined();
      const claims = await Promise.all([2000, 2000, 2000].map((slot) => store.claimSlot("a", slot, start())));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect((await store.get("a"))?.lastSlotMs).toBe(2000);
      // An update with an older claim does not move the claim back.
      await store.update({ ...job("a"), lastSlotMs: 1 });
      expect((await store.get("a"))?.lastSlotMs).toBe(2000);
      expect((await store.runs("a")).map((run) => run.slotMs)).toEqual([2000, 1000]);
      await store.close();
    });

    it("finishes runs once, records manual runs beside the schedule, and marks leftovers interrupted", async () => {
      const { store } = await open();
      await store.add(job("a"));
      const run = (await store.claimSlot("a", 1000, start())) as NonNullable<
        Awaited<ReturnType<CronStore["claimSlot"]>>
      >;
      await store.finish(run.seq, { outcome: "ok", finishedAtMs: 350, delivered: true });
      await store.finish(run.seq, { outcome: "error", finishedAtMs: 999, error: "late" });
      const manual = await store.recordManual("a", 5000, start({ trigger: "manual" }));
      expect((await store.get("a"))?.lastSlotMs).toBe(1000);
      await store.claimSlot("a", 2000, start());
      expect(await store.interruptRunning(7000)).toBe(2);
      const runs = await store.runs("a");
      expect(runs.map((each) => [each.slotMs, each.trigger, each.outcome])).toEqual([
        [2000, "schedule", "interrupted"],
        [5000, "manual", "interrupted"],
        [1000, "schedule", "ok"],
      ]);
      expect(runs[2]).toMatchObject({ durationMs: 250, delivered: true, finishedAtMs: 350 });
      expect(runs[2]?.error).toBeUndefined();
      expect(manual.seq).toBeGreaterThan(run.seq);
      expect(await store.runs("a", 1)).toHaveLength(1);
      await store.close();
    });

    it("keeps what it was told across a reopen", async () => {
      const { store, reopen } = await open();
      if (!reopen) return;
      await store.add(job("a"));
      await store.claimSlot("a", 3000, start());
      await store.close();
      const again = await reopen();
      expect((await again.get("a"))?.lastSlotMs).toBe(3000);
      expect(await again.claimSlot("a", 3000, start())).toBeUndefined();
      expect((await again.runs("a"))[0]?.outcome).toBe("running");
      await again.close();
    });
  });
}
