import { describe, expect, it } from "vitest";
import { summarizeUsage } from "../../usage/usage-report.js";
import { useStorage } from "./storage-fixture.js";
import { type StorageBackendUnderTest, usageEntry } from "./storage-under-test.js";

const MINUTE = "2026-03-15T10:00:00.000Z";

/** UsageRepository: sums recorded and queried by time range and agent, parallel records, none lost. */
export function describeUsageContract(backend: StorageBackendUnderTest): void {
  describe(`${backend.name}: usage`, () => {
    const fixture = useStorage(backend);
    const usage = () => fixture.storage.usage;

    it("answers an empty query before anything is recorded", async () => {
      expect(await usage().query()).toEqual({ entries: [], damage: [] });
      await usage().record([]);
      expect(await usage().query()).toEqual({ entries: [], damage: [] });
    });

    it("returns recorded sums whole; several records of one minute add up", async () => {
      const first = usageEntry(MINUTE, {
        input: 100,
        cached: 80,
        latency: { count: 2, sum: 300, max: 200, buckets: { "7": 1, "9": 1 } },
      });
      const second = usageEntry(MINUTE, { input: 5, turns: 2, calls: 3 });
      await usage().record([first]);
      await usage().record([second]);
      const { entries, damage } = await usage().query();
      expect(damage).toEqual([]);
      expect(entries).toEqual(expect.arrayContaining([first, second]));
      expect(entries).toHaveLength(2);
      expect(summarizeUsage(entries)[0]).toMatchObject({
        key: "main",
        turns: 3,
        modelCalls: 4,
        inputTokens: 105,
      });
    });

    it("queries by time range: a minute counts when any of it is in range", async () => {
      const minutes = [
        "2026-03-14T23:59:00.000Z",
        "2026-03-15T00:00:00.000Z",
        "2026-03-15T00:01:00.000Z",
        "2026-03-16T08:00:00.000Z",
      ];
      await usage().record(minutes.map((minute) => usageEntry(minute)));
      const at = (range: { since?: string; until?: string }) =>
        usage()
          .query({
            ...(range.since ? { since: Date.parse(range.since) } : {}),
            ...(range.until ? { until: Date.parse(range.until) } : {}),
          })
          .then(({ entries }) => entries.map((entry) => entry.minute).sort());
      expect(await at({})).toEqual(minutes);
      expect(await at({ since: "2026-03-14T23:59:30.000Z" })).toEqual(minutes.slice(0));
      expect(await at({ since: "2026-03-15T00:00:00.000Z" })).toEqual(minutes.slice(1));
      expect(await at({ since: "2026-03-15T00:01:00.000Z" })).toEqual(minutes.slice(2));
      expect(await at({ until: "2026-03-15T00:00:00.000Z" })).toEqual(minutes.slice(0, 1));
      expect(await at({ until: "2026-03-15T00:00:00.001Z" })).toEqual(minutes.slice(0, 2));
      expect(await at({ since: "2026-03-15T00:00:30.000Z", until: "2026-03-16T00:00:00.000Z" })).toEqual(
        minutes.slice(1, 3),
      );
      expect(await at({ since: "2026-03-17T00:00:00.000Z" })).toEqual([]);
    });

    it("queries by agent", async () => {
      await usage().record([
        usageEntry(MINUTE, { agent: "main" }),
        usageEntry(MINUTE, { agent: "research", model: "m/b" }),
        usageEntry("2026-03-15T10:05:00.000Z", { agent: "research" }),
      ]);
      const { entries } = await usage().query({ agent: "research" });
      expect(entries.map((entry) => entry.agent)).toEqual(["research", "research"]);
      expect((await usage().query({ agent: "nobody" })).entries).toEqual([]);
      const since = Date.parse("2026-03-15T10:01:00.000Z");
      expect((await usage().query({ agent: "research", since })).entries).toHaveLength(1);
    });

    it("loses no sum of parallel records, across days", async () => {
      await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          usage().record([
            usageEntry(MINUTE, { session: `s${index}` }),
            usageEntry("2026-03-16T00:00:00.000Z", { session: `s${index}` }),
          ]),
        ),
      );
      const { entries } = await usage().query();
      expect(entries).toHaveLength(100);
      expect(new Set(entries.map((entry) => `${entry.minute}/${entry.session}`)).size).toBe(100);
    });
  });
}
