import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { AgentSnapshot, TurnObserver } from "../agents/index.js";
import type { AgentMemoryStatus } from "../memory/index.js";
import type { ReloadReport } from "../secrets/index.js";
import { AgentMetrics } from "./agent-metrics.js";
import { type ChannelAccountSample, ChannelMetrics } from "./channel-metrics.js";
import { HttpMetrics } from "./http-metrics.js";
import { MemoryMetrics } from "./memory-metrics.js";
import { SecretMetrics } from "./secret-metrics.js";
import { StateDirMetrics, type StateDirMetricsSources } from "./state-dir-metrics.js";
import { TurnMetrics } from "./turn-metrics.js";

/** Where the gateway's numbers come from; read at scrape time or subscribed to once. */
export interface MetricsSources extends StateDirMetricsSources {
  version: string;
  agents(): AgentSnapshot[];
  /** Undefined when memory is off. */
  memory(): AgentMemoryStatus[] | undefined;
  webSocketConnections(): number;
  onTurnEnd(observer: TurnObserver): () => void;
  onSecretRotate(listener: (name: string) => void): () => void;
  /** The channel accounts now; empty without channels. */
  channels?(): Promise<ChannelAccountSample[]>;
}

/**
 * The gateway's Prometheus metrics. Each gateway has its own registry, never prom-client's
 * global one: several gateways may share a process (tests), and each must count only itself.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly http: HttpMetrics;
  private readonly turns: TurnMetrics;
  private readonly agents: AgentMetrics;
  private readonly memory: MemoryMetrics;
  private readonly secrets: SecretMetrics;
  readonly channels: ChannelMetrics;

  constructor(private readonly sources: MetricsSources) {
    // Standard names (process_*, nodejs_*), unprefixed, so that stock Node.js dashboards apply.
    collectDefaultMetrics({ register: this.registry });
    this.http = new HttpMetrics(this.registry);
    this.turns = new TurnMetrics(this.registry);
    this.agents = new AgentMetrics(this.registry);
    this.memory = new MemoryMetrics(this.registry);
    this.secrets = new SecretMetrics(this.registry);
    this.channels = new ChannelMetrics(this.registry);
    new StateDirMetrics(this.registry, sources);
    new Gauge({
      name: "openclaw_websocket_connections",
      help: "Open WebSocket connections (operators and nodes).",
      registers: [this.registry],
      collect() {
        this.set(sources.webSocketConnections());
      },
    });
    new Gauge({
      name: "openclaw_build_info",
      help: "Always 1; the gateway's version as a label.",
      labelNames: ["version"],
      registers: [this.registry],
    }).set({ version: sources.version }, 1);
    // Subscribed for the gateway's lifetime, which is the chat service's and the secrets'.
    sources.onTurnEnd((record) => this.turns.record(record));
    sources.onSecretRotate((name) => this.secrets.recordRotation(name));
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  recordSecretReload(report: ReloadReport): void {
    this.secrets.recordReload(report);
  }

  /** The Prometheus text exposition of every series, snapshots taken now. */
  async render(): Promise<string> {
    this.agents.update(this.sources.agents());
    this.memory.update(this.sources.memory());
    if (this.sources.channels) this.channels.update(await this.sources.channels());
    return this.registry.metrics();
  }
}
