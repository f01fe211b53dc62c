import type { Registry } from "prom-client";
import { CounterCells } from "./counter-cells.js";
import { type HistogramCell, HistogramCells } from "./histogram-cells.js";

/** The route label of a request that matched no route: raw URLs would make a series per path. */
export const UNMATCHED_ROUTE = "unmatched";

/** Seconds; from a cached `/health` (~0.1 ms) to a long streamed turn. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

type HttpLabel = "method" | "route" | "status";

interface RouteSeries {
  requests: { value: number };
  duration: HistogramCell;
}

/** Requests and their latency by method, route pattern and status code. */
export class HttpMetrics {
  private readonly requests: CounterCells<HttpLabel>;
  private readonly duration: HistogramCells;
  // Made once per method/status/route: the chat path runs ~10 000 req/s.
  private readonly series = new Map<string, RouteSeries>();

  constructor(registry: Registry) {
    this.requests = new CounterCells(registry, {
      name: "openclaw_http_requests_total",
      help: "HTTP requests answered, by method, route pattern and status code.",
      labelNames: ["method", "route", "status"],
    });
    this.duration = new HistogramCells(registry, {
      name: "openclaw_http_request_duration_seconds",
      help: "HTTP request latency from arrival to the answer handed to the socket (streams: to their end), by method, route pattern and status code.",
      buckets: HTTP_BUCKETS,
    });
  }

  /** One answered request; `route` is the matched pattern (`/__openclaw__/agents/:id`), never the URL. */
  record(method: string, route: string | undefined, status: number, durationMs: number): void {
    const routeLabel = route ?? UNMATCHED_ROUTE;
    const key = `${method} ${status} ${routeLabel}`;
    let series = this.series.get(key);
    if (!series) {
      const labels = { method, route: routeLabel, status: String(status) };
      series = {
        requests: this.requests.cell(key, () => labels),
        duration: this.duration.cell(key, () => labels),
      };
      this.series.set(key, series);
    }
    series.requests.value += 1;
    series.duration.observe(durationMs / 1000);
  }
}
