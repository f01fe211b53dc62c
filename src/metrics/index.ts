export { GatewayMetrics, type MetricsSources } from "./gateway-metrics.js";
