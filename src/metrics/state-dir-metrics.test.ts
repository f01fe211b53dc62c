import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { parseMetrics } from "../../test/prometheus-text.js";
import { StateDirMetrics } from "./state-dir-metrics.js";

describe("StateDirMetrics", () => {
  it("exposes dropped log lines per sink and whether the state dir takes writes, read at scrape time", async () => {
    const registry = new Registry();
    let dropped = { file: 0, console: 0 };
    let writable = true;
    new StateDirMetrics(registry, { logLinesDropped: () => dropped, stateDirWritable: () => writable });
    let metrics = parseMetrics(await registry.metrics());
    expect(metrics.value("openclaw_log_lines_dropped_total", { sink: "file" })).toBe(0);
    expect(metrics.value("openclaw_state_dir_writable", {})).toBe(1);
    dropped = { file: 12, console: 3 };
    writable = false;
    metrics = parseMetrics(await registry.metrics());
    expect(metrics.value("openclaw_log_lines_dropped_total", { sink: "file" })).toBe(12);
    expect(metrics.value("openclaw_log_lines_dropped_total", { sink: "console" })).toBe(3);
    expect(metrics.value("openclaw_state_dir_writable", {})).toBe(0);
  });
});
