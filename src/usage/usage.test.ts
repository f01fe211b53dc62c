import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TurnRecord } from "../agents/index.js";
import { UsageLedger } from "./usage-ledger.js";
import { readUsage, summarizeUsage } from "./usage-report.js";

function turn(
  overrides: Partial<TurnRecord> & { calls?: [string, number, number, number, number][] },
): TurnRecord {
  const { calls = [], ...rest } = overrides;
  return {
    runId: `run-${Math.random()}`,
    agentId: "main",
    sessionKey: "agent:main:main",
    outcome: "ok",
    startedAt: Date.parse("2026-11-25T10:00:00Z"),
    durationMs: 5,
    usage: { inputTokens: 0, outputTokens: 0 },
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

describe("usage ledger and report", () => {
  let dir: string;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("writes one line per turn into a daily 0600 file and skips refused turns", async () => {
    dir = await mkdtemp(join(tmpdir(), "oc-usage-"));
    const ledger = new UsageLedger(dir);
    ledger.record(turn({ calls: [["anthropic/claude", 100, 10, 80, 200]] }));
    ledger.record(turn({ outcome: "rejected" }));
    ledger.record(turn({ startedAt: Date.parse("2026-11-26T00:00:01Z"), calls: [["dev/echo", 1, 2, 0, 1]] }));
    await ledger.close();
    const files = (await readdir(join(dir, "usage"))).sort();
    expect(files).toEqual(["usage-2026-11-25.jsonl", "usage-2026-11-26.jsonl"]);
    expect((await stat(join(dir, "usage", files[0] as string))).mode & 0o777).toBe(0o600);
    const first = JSON.parse((await readFile(join(dir, "usage", files[0] as string), "utf8")).trim());
    expect(first).toMatchObject({
      agent: "main",
      outcome: "ok",
      calls: [{ model: "anthropic/claude", input: 100, output: 10, cached: 80, latencyMs: 200 }],
    });
    expect(await readUsage(dir)).toHaveLength(2);
    expect(await readUsage(dir, Date.parse("2026-11-26T00:00:00Z"))).toHaveLength(1);
  });

  it("sums tokens and latency by agent, session (stateless requests folded) and model", () => {
    const entries = [
      turn({
        calls: [
          ["m/a", 10, 1, 0, 100],
          ["m/a", 20, 2, 5, 300],
        ],
      }),
      turn({ agentId: "b", sessionKey: "agent:b:openai:request:1", calls: [["m/b", 1, 1, 0, 50]] }),
      turn({ agentId: "b", sessionKey: "agent:b:openai:request:2", calls: [["m/b", 1, 1, 0, 70]] }),
    ].map((record) => ({
      ts: new Date(record.startedAt).toISOString(),
      agent: record.agentId,
      session: record.sessionKey,
      turn: record.runId,
      outcome: record.outcome,
      durationMs: record.durationMs,
      calls: record.modelCalls.map((call) => ({
        model: call.model,
        input: call.usage.inputTokens,
        output: call.usage.outputTokens,
        cached: call.usage.cachedInputTokens ?? 0,
        latencyMs: call.latencyMs,
      })),
    }));
    const byAgent = summarizeUsage(entries);
    expect(byAgent[0]).toEqual({
      key: "main",
      turns: 1,
      modelCalls: 2,
      inputTokens: 30,
      outputTokens: 3,
      cachedInputTokens: 5,
      latencyMs: { avg: 200, p50: 100, p95: 300, max: 300 },
    });
    expect(byAgent[1]).toMatchObject({ key: "b", turns: 2, inputTokens: 2 });
    const bySession = summarizeUsage(entries, { by: "session" }).map((row) => [row.key, row.turns]);
    expect(bySession).toEqual([
      ["agent:main:main", 1],
      ["agent:b:openai:* (stateless requests)", 2],
    ]);
    expect(summarizeUsage(entries, { by: "model", agent: "b" }).map((row) => row.key)).toEqual(["m/b"]);
    expect(summarizeUsage(entries, { since: Date.parse("2026-11-26T00:00:00Z") })).toEqual([]);
  });
});
