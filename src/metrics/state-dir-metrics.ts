import { Counter, Gauge, type Registry } from "prom-client";

export interface StateDirMetricsSources {
  /** Log lines lost since the start, per sink (a full disk, a buffer overrun, a closed stdout). */
  logLinesDropped?(): { file: number; console: number };
  stateDirWritable?(): boolean;
}

/** Whether the state dir takes writes, and the log lines that were lost while it did not. */
export class StateDirMetrics {
  constructor(registry: Registry, sources: StateDirMetricsSources) {
    new Counter<"sink">({
      name: "openclaw_log_lines_dropped_total",
      help: "Log lines dropped instead of written, by sink: file (its disk refused writes and the buffer filled) or console (stdout gone or too slow).",
      labelNames: ["sink"],
      registers: [registry],
      collect() {
        // The sinks keep the totals (they never go down); a scrape copies them.
        const dropped = sources.logLinesDropped?.() ?? { file: 0, console: 0 };
        this.reset();
        this.inc({ sink: "file" }, dropped.file);
        this.inc({ sink: "console" }, dropped.console);
      },
    });
    new Gauge({
      name: "openclaw_state_dir_writable",
      help: "1 while writes to the state dir succeed; 0 while they fail (ENOSPC, EDQUOT, EROFS, EIO) and turns are refused with 507.",
      registers: [registry],
      collect() {
        this.set(sources.stateDirWritable?.() === false ? 0 : 1);
      },
    });
  }
}
