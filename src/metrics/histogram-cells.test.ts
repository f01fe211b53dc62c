import { Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { HistogramCells } from "./histogram-cells.js";

describe("HistogramCells", () => {
  it("exports exactly what prom-client's own histogram exports for the same observations", async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const config = { name: "demo_seconds", help: "Demo latency.", buckets: [0.1, 0.5, 1] };
    const cells = new HistogramCells(ours, config);
    const reference = new Histogram({ ...config, labelNames: ["route"], registers: [theirs] });
    const values = [0.05, 0.1, 0.2, 0.7, 3, 0.1];
    for (const value of values) {
      cells.cell("a", () => ({ route: "/a" })).observe(value);
      reference.observe({ route: "/a" }, value);
    }
    cells.cell("b", () => ({ route: "/b" })).observe(2);
    reference.observe({ route: "/b" }, 2);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    ours.resetMetrics();
    expect(await ours.metrics()).toBe("# HELP demo_seconds Demo latency.\n# TYPE demo_seconds histogram\n");
  });
});
