import { logSinksOf } from "../logging/index.js";
import { GatewayMetrics } from "../metrics/index.js";
import { VERSION } from "../version.js";
import type { Gateway } from "./gateway.js";

/**
 * The gateway's Prometheus metrics, each read from the part that owns it when scraped.
 * `webSocketConnections` comes from the listener, which the gateway keeps to itself.
 */
export function gatewayMetrics(gateway: Gateway, webSocketConnections: () => number): GatewayMetrics {
  return new GatewayMetrics({
    version: VERSION,
    agents: () => gateway.supervisor.list(),
    memory: () => gateway.memoryStatus(),
    webSocketConnections,
    onTurnEnd: (observer) => gateway.chat.onTurnEnd(observer),
    onSecretRotate: (listener) => gateway.credentials.onRotate(listener),
    logLinesDropped: () => logSinksOf(gateway.logger)?.droppedLines() ?? { file: 0, console: 0 },
    stateDirWritable: () => gateway.stateDirHealth.writable,
    channels: () => gateway.channels.status(),
  });
}
