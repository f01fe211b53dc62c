import { AgentSupervisor, ChatService, type RunRecord, RunService } from "../agents/index.js";
import { SessionCanvases } from "../canvas/index.js";
import type { ChannelService } from "../channels/index.js";
import type { LoadedConfig, OpenClawConfig } from "../config/index.js";
import { createLogger, type Logger, logSinksOf } from "../logging/index.js";
import type { GatewayMetrics } from "../metrics/index.js";
import { Redactor } from "../secrets/index.js";
import type { SessionRetention, TranscriptStore } from "../sessions/index.js";
import { StateDirHealth } from "../state-dir-health/index.js";
import type { Storage } from "../storage/index.js";
import { UsageLedger } from "../usage/index.js";
import { VERSION } from "../version.js";
import { httpUrl } from "./client-address.js";
import { applyLoadedConfig } from "./config-apply.js";
import { ConfigControl } from "./config-control.js";
import type { GatewayOptions, GatewayStarted } from "./gateway-options.js";
import { gatewayStorage } from "./gateway-storage.js";
import type { AgentChanges } from "./held-config.js";

export type { GatewayOptions, GatewayStarted } from "./gateway-options.js";

import { createGatewayAutomation, type GatewayAutomation } from "./gateway-automation.js";
import { createGatewayChannels, type GatewayThreadBindings } from "./gateway-channels.js";
import { GatewayCluster } from "./gateway-cluster.js";
import { GatewayCredentials } from "./gateway-credentials.js";
import { createGatewayHooks, type GatewayHooks } from "./gateway-hooks.js";
import { gatewayHostServices } from "./gateway-host-services.js";
import { gatewayListener } from "./gateway-listener.js";
import { gatewayMcp } from "./gateway-mcp.js";
import { gatewayMetrics } from "./gateway-metrics.js";
import {
  agentsPart,
  configWatchPart,
  credentialsPart,
  type GatewayMemory,
  memoryOrFail,
  memoryPart,
  repairAgentMemory,
  retentionPart,
  runtimeStatePart,
} from "./gateway-parts.js";
import { GatewaySecurity } from "./gateway-security.js";
import { runtimeStateFields, statusSources } from "./gateway-wiring.js";
import type { HttpListener } from "./http-listener.js";
import { idleReleasePart } from "./idle-release-part.js";
import { LazySandbox } from "./lazy-sandbox.js";
import { type GatewayPart, PartGroup } from "./lifecycle/part-group.js";
import { applyLoggingConfig } from "./logging-config.js";
import { sessionStores } from "./session-stores.js";
import { logStateDirChange } from "./state-dir-log.js";
import { buildStatusReport } from "./status-report.js";
import type { TlsMaterial } from "./tls.js";
import { BroadcastBus } from "./ws/broadcast-bus.js";
import { canvasEvent } from "./ws/canvas-event.js";
import { ClientPresence } from "./ws/client-presence.js";
import { broadcastRuns } from "./ws/run-broadcaster.js";

/**
 * The gateway process, as its composition root: it builds the parts (credentials and auth,
 * agents, memory, the HTTP + WebSocket server, the runtime state file, retention), starts them
 * in order, stops them in reverse, and rolls back what started when one cannot. What it serves
 * is wired in gateway-wiring.ts, each piece given only what it uses.
 */
export class Gateway {
  readonly version = VERSION;
  readonly startedAt = Date.now();
  readonly presence = new ClientPresence(VERSION, this.startedAt);
  readonly broadcast = new BroadcastBus();
  readonly logger: Logger;
  readonly redactor: Redactor;
  readonly canvases = new SessionCanvases();
  readonly credentials: GatewayCredentials;
  readonly supervisor: AgentSupervisor;
  /** Whether writes to the state dir work now: readiness, 507s, status and doctor read it. */
  readonly stateDirHealth: StateDirHealth;
  readonly storage: Storage;
  /** The replicas sharing the storage (when shared): session ownership, forwarding, events. */
  readonly cluster = new GatewayCluster(this);
  readonly transcripts: TranscriptStore;
  /** Deletes old transcripts (sessions.retention) at start and hourly. */
  readonly retention: SessionRetention;
  readonly chat: ChatService;
  readonly runs: RunService;
  /** Every turn's token counts and model latency, for `openclaw usage`. */
  readonly usage: UsageLedger;
  readonly metrics: GatewayMetrics;
  readonly configControl: ConfigControl;
  /** Messaging channels (Telegram, IRC, Discord, Slack): their accounts, inbox, pairing. */
  readonly channels: ChannelService;
  readonly threads: GatewayThreadBindings;
  readonly hooks: GatewayHooks;
  readonly mcp = gatewayMcp(this);
  readonly automation: GatewayAutomation;
  private readonly channelsPart: GatewayPart;
  private securityState: GatewaySecurity | undefined;
  private memory: GatewayMemory | undefined;
  private tls: TlsMaterial | undefined;
  private listener: HttpListener | undefined;
  private parts: PartGroup | undefined;
  private shuttingDown = false;
  private started: GatewayStarted | undefined;

  constructor(private readonly options: GatewayOptions) {
    this.logger = options.logger ?? createLogger();
    this.redactor = options.redactor ?? new Redactor();
    this.credentials = new GatewayCredentials(this.logger, this.redactor, options.configPath);
    this.stateDirHealth = new StateDirHealth(options.stateDir, {
      onChange: (health) => logStateDirChange(this.logger, health),
    });
    logSinksOf(this.logger)?.file.reportTo(this.stateDirHealth);
    const sandbox = new LazySandbox({
      stateDir: options.stateDir,
      logger: this.logger,
      secretValue: (name) => this.credentials.store.get(name),
    });
    const hostServices = gatewayHostServices({
      mcp: this.mcp,
      sandbox,
      subagentRuns: () => this.chat.subagentRuns,
      sessions: () => this.threads.service,
      canvases: this.canvases,
      memory: () => this.memory,
      channels: () => this.channels,
      config: () => this.config(),
      redactor: this.redactor,
      stateDirHealth: this.stateDirHealth,
      sessionEnds: () => this.transcripts,
    });
    this.supervisor = new AgentSupervisor({
      logger: this.logger,
      readCredential: this.credentials.readCredential,
      egressFetch: this.credentials.broker.fetch,
      stateDir: options.stateDir,
      hostServices,
      sandbox,
    });
    this.storage = gatewayStorage(options, this.stateDirHealth, this.logger);
    ({ transcripts: this.transcripts, retention: this.retention } = sessionStores({
      storage: this.storage,
      redactor: this.redactor,
      logger: this.logger,
      config: () => this.config(),
    }));
    this.chat = new ChatService(
      this.supervisor,
      this.transcripts,
      this.logger,
      this.redactor,
      this.stateDirHealth,
    );
    this.runs = new RunService({
      turns: this.chat,
      agents: {
        defaultAgentId: () => this.supervisor.agentIds()[0] ?? "main",
        assertAvailable: (agentId) => this.supervisor.assertAvailable(agentId),
      },
      storage: this.stateDirHealth,
      idempotency: this.storage.idempotency<RunRecord>("runs"),
    });
    broadcastRuns(this.runs, this.broadcast);
    this.usage = new UsageLedger(this.storage.usage, (error) =>
      this.logger.error({ error: error.message }, "usage ledger write failed"),
    );
    this.chat.onTurnEnd((record) => this.usage.record(record));
    this.metrics = gatewayMetrics(this, () => this.listener?.connectionCount() ?? 0);
    const channels = createGatewayChannels(this);
    ({ service: this.channels, part: this.channelsPart, threads: this.threads } = channels);
    this.hooks = createGatewayHooks(this);
    this.automation = createGatewayAutomation(this);
    this.configControl = new ConfigControl({
      configPath: options.configPath,
      stateDir: options.stateDir,
      ...(options.loadedConfig ? { loaded: options.loadedConfig } : {}),
      logger: this.logger,
      apply: (loaded, previous, commit) => this.applyConfig(loaded, previous, commit),
    });
    // Viewers follow a canvas live: every change goes out whole to the operators' connections.
    this.canvases.onChange((state) => this.broadcast.publish("canvas", canvasEvent(state)));
    // A secret that changes (or appears) may revive agents that were degraded for want of it;
    // healthy agents hold placeholders and are left alone by the re-apply.
    this.credentials.onRotate((name) => {
      this.logger.info({ secret: name }, "secret rotated");
      const loaded = this.configControl.current();
      if (loaded && this.parts && !this.shuttingDown)
        void this.supervisor.apply(loaded.config, options.configPath);
    });
  }

  get configPath(): string {
    return this.options.configPath;
  }

  get stateDir(): string {
    return this.options.stateDir;
  }

  get security(): GatewaySecurity {
    if (!this.securityState) throw new Error("the gateway is not started");
    return this.securityState;
  }

  config(): OpenClawConfig {
    return this.configControl.config();
  }

  configExists(): boolean {
    return this.configControl.exists();
  }

  listening(): { host: string; port: number } | undefined {
    return this.listener?.address();
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  async start(): Promise<GatewayStarted> {
    const loaded = await this.configControl.load();
    this.applyLogging(loaded.config);
    const host = this.listenHost();
    const config = () => this.config();
    const memory = memoryPart({
      stateDir: this.options.stateDir,
      config,
      credentials: this.credentials,
      logger: this.logger,
      workspaceRoots: () => this.supervisor.workspaceRoots(),
      set: (created) => {
        this.memory = created;
      },
    });
    const agents = agentsPart(this.supervisor, config, this.options.configPath, () =>
      this.listener?.prepare(),
    );
    this.agentChanges = agents.changes;
    this.listener = gatewayListener(this, host, this.options.port ?? loaded.config.gateway.port, (tls) => {
      this.tls = tls;
    });
    this.parts = new PartGroup(
      [
        credentialsPart(this.credentials, config, () => this.openSecurity(host)),
        agents,
        memory,
        this.channelsPart,
        this.mcp.part,
        this.automation.part,
        this.listener,
        this.cluster,
        ...(this.options.watchConfig !== false ? [configWatchPart(this.configControl)] : []),
        ...(this.options.writeRuntimeState ? [this.runtimeState()] : []),
        retentionPart(this.retention),
        idleReleasePart({ chat: this.chat, supervisor: this.supervisor, config, logger: this.logger }),
      ],
      (part, error) =>
        this.logger.error({ part, error: (error as Error).message }, "gateway part failed to stop"),
      (part, ms) =>
        this.logger.debug(
          { part, ms: Math.round(ms), sinceLaunchMs: Math.round(performance.now()) },
          "gateway part started",
        ),
    );
    try {
      await this.parts.start();
    } catch (error) {
      this.parts = undefined;
      await this.listener.discardPrepared();
      await this.closeStores();
      throw error;
    }
    const address = this.listener.address() ?? {
      host,
      port: this.options.port ?? loaded.config.gateway.port,
    };
    this.started = {
      url: httpUrl(address.host, address.port, this.tls ? "https" : "http"),
      host: address.host,
      port: address.port,
      ...(this.tls
        ? { tls: { fingerprint256: this.tls.fingerprint256, selfSigned: this.tls.selfSigned } }
        : {}),
    };
    this.logger.info({ url: this.started.url, configPath: this.options.configPath }, "gateway listening");
    return this.started;
  }

  async stop(reason = "shutdown"): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.configControl.close();
    const deadline = Date.now() + (this.options.shutdownGraceMs ?? 5000);
    while (this.chat.activeRunCount() > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.chat.abortAll(`gateway ${reason}`);
    this.listener?.prepareStop(reason, deadline);
    await this.parts?.stop();
    this.parts = undefined;
    await this.closeStores();
    this.logger.info({ reason }, "gateway stopped");
    this.logger.flush?.();
  }

  /** Re-reads the config file now, as the watcher does on change: a weakening change is held. */
  reload(): Promise<void> {
    return this.configControl.reload();
  }

  statusReport() {
    return buildStatusReport(statusSources(this));
  }

  /** Re-reads external secrets (`openclaw secrets reload`, SIGHUP); file sources are also watched. */
  async reloadSecrets(names?: readonly string[]) {
    const report = await this.credentials.reload(names);
    this.metrics.recordSecretReload(report);
    this.logger.info(report, "secrets reloaded");
    return report;
  }

  /** Memory status per agent (`openclaw memory status`), or undefined when memory is off. */
  memoryStatus = () => this.memory?.service.status();
  /** memory.embeddings' model, for `POST /v1/embeddings`; undefined without one. */
  memoryEmbedder = () => this.memory?.service.embedder;

  async resyncMemory(agentId?: string): Promise<string[]> {
    return memoryOrFail(this.memory).service.resync(agentId);
  }

  async repairMemory(agentId: string, options: { force?: boolean } = {}) {
    return repairAgentMemory(
      memoryOrFail(this.memory),
      agentId,
      this.supervisor.workspaceRoots().get(agentId),
      options,
    );
  }

  private agentChanges: () => AgentChanges = () => ({ added: [], changed: [], removed: [] });

  private async openSecurity(host: string): Promise<void> {
    this.securityState = await GatewaySecurity.open({
      stateDir: this.options.stateDir,
      storage: this.storage,
      credentials: this.credentials,
      redactor: this.redactor,
      logger: this.logger,
      config: this.config(),
    });
    await this.securityState.apply(this.config(), host);
  }

  private runtimeState() {
    return runtimeStatePart({
      stateDir: this.options.stateDir,
      health: this.stateDirHealth,
      security: () => this.security,
      state: () =>
        runtimeStateFields(this, this.listener?.address() ?? { host: this.listenHost(), port: 0 }, this.tls),
    });
  }

  /** The stores live from construction to the end: closed after every part has stopped. */
  private async closeStores(): Promise<void> {
    await this.transcripts.close().catch(() => undefined);
    await this.usage.close().catch(() => undefined);
    await this.storage.close().catch(() => undefined);
    this.stateDirHealth.close();
  }

  /** The address the gateway listens on: the CLI's --host, else gateway.host. */
  private listenHost(): string {
    return this.options.host ?? this.configControl.current()?.config.gateway.host ?? "127.0.0.1";
  }

  /** Puts a config in force (ConfigControl's apply): throws, keeping the running one, when it cannot. */
  private applyConfig(loaded: LoadedConfig, previous: LoadedConfig | undefined, commit: () => void) {
    return applyLoadedConfig(
      {
        credentials: this.credentials,
        security: () => this.security,
        followers: () => this.parts,
        agentChanges: () => this.agentChanges(),
        logger: this.logger,
        listenHost: () => this.listenHost(),
        applyLogging: (config) => this.applyLogging(config),
      },
      loaded,
      previous,
      commit,
    );
  }

  private applyLogging(config: OpenClawConfig): void {
    applyLoggingConfig(this.logger, config, this.options);
  }
}
