import { appendFile, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TurnRecord } from "../agents/index.js";
import type { DamageReport } from "../append-only/index.js";
import { FakeDisk } from "../append-only/testing/fake-disk.js";
import { StateDirHealth } from "../state-dir-health/index.js";
import { bucketOf, emptyHistogram, observe, percentile } from "./latency-histogram.js";
import { type UsageEntry, UsageLedger } from "./usage-ledger.js";
import { readUsage, summarizeUsage } from "./usage-report.js";

type Call = [model: string, input: number, output: number, cached: number, latencyMs: number];

function turn(overrides: Partial<TurnRecord> & { calls?: Call[] }): TurnRecord {
  const { calls = [], ...rest } = overrides;
  return {
    runId: `run-${Math.random()}`,
    agentId: "main",
    sessionKey: "agent:main:main",
    outcome: "ok",
    startedAt: Date.parse("2026-11-25T10:00:30Z"),
    durationMs: 5,
    modelCalls: calls.map(([model, input, output, cached, latencyMs], index) => ({
      step: index + 1,
      model,
      usage: { inputTokens: input, outputTokens: output, cachedInputTokens: cached },
      finishReason: "stop",
      latencyMs,
    })),
    toolCalls: [],
    depth: 0,
    ...rest,
  };
}

async function ledgerOf(dir: string, turns: TurnRecord[]): Promise<UsageEntry[]> {
  const ledger = new UsageLedger(dir);
  for (const record of turns) ledger.record(record);
  await ledger.close();
  return readUsage(dir);
}

describe("usage ledger and report", () => {
  let dir: string;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("sums a minute's turns per agent, session and model into daily 0600 files", async () => {
    dir = await mkdtemp(join(tmpdir(), "oc-usage-"));
    const entries = await ledgerOf(dir, [
      turn({ calls: [["anthropic/claude", 100, 10, 80, 200]] }),
      turn({
        calls: [
          ["anthropic/claude", 50, 5, 0, 100],
          ["anthropic/claude", 60, 6, 0, 300],
        ],
      }),
      turn({ outcome: "rejected" }),
      turn({ startedAt: Date.parse("2026-11-26T00:00:01Z"), calls: [["dev/echo", 1, 2, 0, 1]] }),
    ]);
    const files = (await readdir(join(dir, "usage"))).sort();
    expect(files).toEqual(["usage-2026-11-25.jsonl", "usage-2026-11-26.jsonl"]);
    expect((await stat(join(dir, "usage", files[0] as string))).mode & 0o777).toBe(0o600);
    const lines = (await readFile(join(dir, "usage", files[0] as string), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      minute: "2026-11-25T10:00:00.000Z",
      agent: "main",
      session: "agent:main:main",
      model: "anthropic/claude",
      turns: 2,
      calls: 3,
      input: 210,
      output: 21,
      cached: 80,
      latency: { count: 3, sum: 600, max: 300 },
    });
    expect(await readUsage(dir, Date.parse("2026-11-26T00:00:00Z"))).toHaveLength(1);
  });

  it("adds up lines of several flushes and reports by agent, session and model", async () => {
    dir = await mkdtemp(join(tmpdir(), "oc-usage-"));
    const ledger = new UsageLedger(dir);
    ledger.record(turn({ calls: [["m/a", 10, 1, 0, 100]] }));
    await ledger.flush();
    ledger.record(turn({ calls: [["m/a", 20, 2, 5, 300]] }));
    ledger.record(
      turn({ agentId: "b", sessionKey: "agent:b:openai:request:1", calls: [["m/b", 1, 1, 0, 50]] }),
    );
    ledger.record(
      turn({ agentId: "b", sessionKey: "agent:b:openai:request:2", calls: [["m/b", 1, 1, 0, 70]] }),
    );
    await ledger.close();
    const entries = await readUsage(dir);
    expect(entries).toHaveLength(3);
    const byAgent = summarizeUsage(entries);
    expect(byAgent[0]).toMatchObject({
      key: "main",
      turns: 2,
      modelCalls: 2,
      inputTokens: 30,
      outputTokens: 3,
      cachedInputTokens: 5,
    });
    expect(byAgent[0]?.latencyMs?.avg).toBe(200);
    expect(byAgent[0]?.latencyMs?.max).toBe(300);
    expect(byAgent[1]).toMatchObject({ key: "b", turns: 2, inputTokens: 2 });
    expect(summarizeUsage(entries, { by: "session" }).map((row) => [row.key, row.turns])).toEqual([
      ["agent:main:main", 2],
      ["agent:b:openai:* (stateless requests)", 2],
    ]);
    expect(summarizeUsage(entries, { by: "model", agent: "b" }).map((row) => row.key)).toEqual(["m/b"]);
    // A minute counts while any of it is after `since`.
    expect(summarizeUsage(entries, { since: Date.parse("2026-11-25T10:00:59Z") })).toHaveLength(2);
    expect(summarizeUsage(entries, { since: Date.parse("2026-11-25T10:01:00Z") })).toEqual([]);
  });

  it("keeps the sums of a flush the disk refuses for the next one: nothing lost, nothing counted twice", async () => {
    dir = await mkdtemp(join(tmpdir(), "oc-usage-"));
    const disk = new FakeDisk();
    const health = new StateDirHealth(dir, { probe: () => new Promise(() => undefined) });
    const errors: string[] = [];
    const ledger = new UsageLedger(dir, (error) => errors.push(error.message), { open: disk.open, health });
    ledger.record(turn({ calls: [["m/a", 10, 1, 0, 100]] }));
    await ledger.flush();
    disk.free = 40; // the next line is cut short, then refused
    ledger.record(turn({ calls: [["m/a", 20, 2, 0, 100]] }));
    await ledger.flush();
    expect(errors).toHaveLength(1);
    expect(health.snapshot()).toMatchObject({ writable: false, writer: "usage" });
    const file = join(dir, "usage", "usage-2026-11-25.jsonl");
    expect((await readFile(file, "utf8")).trim().split("\n")).toHaveLength(1);
    disk.free = undefined;
    ledger.record(turn({ calls: [["m/a", 30, 3, 0, 100]] }));
    await ledger.close();
    expect(health.writable).toBe(true);
    const [row] = summarizeUsage(await readUsage(dir));
    expect(row).toMatchObject({ turns: 3, inputTokens: 60, outputTokens: 6, modelCalls: 3 });
    health.close();
  });

  it("cuts a torn last line before appending and reports unreadable lines instead of counting them", async () => {
    dir = await mkdtemp(join(tmpdir(), "oc-usage-"));
    const first = new UsageLedger(dir);
    first.record(turn({ calls: [["m/a", 10, 1, 0, 100]] }));
    await first.close();
    const file = join(dir, "usage", "usage-2026-11-25.jsonl");
    await appendFile(file, '{"minute":"2026-11-25T10:00:00.000Z","agent":"main","ses');
    const reports: DamageReport[] = [];
    expect(await readUsage(dir, undefined, (report) => reports.push(report))).toHaveLength(1);
    expect(reports).toEqual([{ file, count: 1, lines: [{ line: 2, kind: "torn" }] }]);
    const second = new UsageLedger(dir);
    second.record(turn({ calls: [["m/a", 5, 1, 0, 100]] }));
    await second.close();
    await appendFile(file, '{"minute":"x","agent":"main"}\n');
    reports.length = 0;
    const entries = await readUsage(dir, undefined, (report) => reports.push(report));
    expect(summarizeUsage(entries)[0]).toMatchObject({ turns: 2, inputTokens: 15 });
    expect(reports).toEqual([{ file, count: 1, lines: [{ line: 3, kind: "unexpected" }] }]);
  });

  it("reads percentiles from the log histogram within 10 %", () => {
    const histogram = emptyHistogram();
    for (let value = 1; value <= 1000; value++) observe(histogram, value);
    expect(Object.keys(histogram.buckets).length).toBeLessThan(80);
    for (const [fraction, truth] of [
      [0.5, 500],
      [0.95, 950],
      [0.99, 990],
    ] as const) {
      const estimate = percentile(histogram, fraction);
      expect(estimate).toBeGreaterThanOrEqual(truth);
      expect(estimate).toBeLessThanOrEqual(truth * 1.1);
    }
    expect(percentile(histogram, 1)).toBe(1000);
    expect(bucketOf(0)).toBe(0);
    expect(percentile(emptyHistogram(), 0.5)).toBe(0);
  });
});

describe("usage ledger over any repository", () => {
  it("records through it, and hands a refused flush in again whole with the newer sums", async () => {
    const recorded: UsageEntry[][] = [];
    let refuse = true;
    const repository = {
      location: "test",
      record: async (entries: readonly UsageEntry[]) => {
        if (refuse) throw new Error("refused");
        recorded.push([...entries]);
      },
      query: async () => ({ entries: recorded.flat(), damage: [] }),
      close: async () => undefined,
    };
    const errors: string[] = [];
    const ledger = new UsageLedger(repository, (error) => errors.push(error.message));
    expect(ledger.repository).toBe(repository);
    ledger.record(turn({ calls: [["m/a", 10, 1, 0, 100]] }));
    await ledger.flush();
    expect(errors).toEqual(["refused"]);
    refuse = false;
    ledger.record(turn({ calls: [["m/a", 5, 1, 0, 100]] }));
    await ledger.close();
    expect(recorded).toHaveLength(1);
    expect(summarizeUsage(recorded.flat())[0]).toMatchObject({ turns: 2, inputTokens: 15 });
  });
});
