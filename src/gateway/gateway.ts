import { EventEmitter } from "node:events";
import { dirname } from "node:path";
import { AgentSupervisor, ChatService } from "../agents/index.js";
import { SessionCanvases } from "../canvas/index.js";
import {
  ConfigWatcher,
  type LoadedConfig,
  loadConfigFile,
  type OpenClawConfig,
  weakeningChanges,
} from "../config/index.js";
import { OpenClawError } from "../errors.js";
import { createLogger, type Logger, logSinksOf } from "../logging/index.js";
import { GatewayMetrics } from "../metrics/index.js";
import { Redactor } from "../secrets/index.js";
import { retentionPolicyOf, SessionRetention, TranscriptStore } from "../sessions/index.js";
import { asStateWriteError, StateDirHealth } from "../state-dir-health/index.js";
import { UsageLedger } from "../usage/index.js";
import { VERSION } from "../version.js";
import { httpUrl } from "./client-address.js";
import type { GatewayContext } from "./gateway-context.js";
import { GatewayCredentials } from "./gateway-credentials.js";
import { createGatewayMemory } from "./gateway-memory.js";
import { GatewaySecurity } from "./gateway-security.js";
import { type AppliedConfig, heldConfigMessage, type PendingConfig } from "./held-config.js";
import { buildHttpServer, type HttpServer } from "./http-server.js";
import { LazySandbox } from "./lazy-sandbox.js";
import { logRetentionSweep } from "./retention-report.js";
import { removeRuntimeState, runtimeStatePath, writeRuntimeState } from "./runtime-state.js";
import { logDamagedTranscript, logRepairedTail, logStateDirChange } from "./state-dir-log.js";
import { loadTls, type TlsMaterial } from "./tls.js";
import { ClientPresence } from "./ws/client-presence.js";

/** How long WebSocket peers get to answer the close frame when the drain time is already spent. */
const SOCKET_CLOSE_GRACE_MS = 500;
/** A close handshake takes one round trip; a peer silent this long is not going to answer. */
const SOCKET_CLOSE_MAX_MS = 2000;

export interface GatewayOptions {
  configPath: string;
  stateDir: string;
  /** Overrides of gateway.host / gateway.port (CLI flags). Port 0 picks a free port. */
  host?: string;
  port?: number;
  logger?: Logger;
  watchConfig?: boolean;
  /** Write `<stateDir>/gateway.json` for the CLI (off for in-process tests). */
  writeRuntimeState?: boolean;
  /** Where this process's raw stdout/stderr goes when it runs detached (`gateway start`). */
  logPath?: string;
  /** The logger follows logging.level (off when OPENCLAW_LOG_LEVEL is set, or for a test's logger). */
  levelFromConfig?: boolean;
  /** Runs detached: logging.console "auto" means no console at all. */
  detached?: boolean;
  /** How long in-flight turns may finish on shutdown before they are aborted. */
  shutdownGraceMs?: number;
  /** The redactor the logger already masks with, so that both know every credential value. */
  redactor?: Redactor;
}

export interface GatewayStarted {
  url: string;
  host: string;
  port: number;
  tls?: { fingerprint256: string; selfSigned: boolean };
}

/** The gateway process: config, agents, sessions, HTTP + WebSocket server, hot reload. */
export class Gateway implements GatewayContext {
  readonly version = VERSION;
  readonly startedAt = Date.now();
  readonly presence = new ClientPresence(VERSION, this.startedAt);
  readonly events = new EventEmitter();
  readonly logger: Logger;
  readonly supervisor: AgentSupervisor;
  readonly transcripts: TranscriptStore;
  /** Deletes old transcripts (sessions.retention) at start and hourly. */
  readonly retention: SessionRetention;
  readonly chat: ChatService;
  readonly redactor: Redactor;
  readonly canvases = new SessionCanvases();
  readonly credentials: GatewayCredentials;
  readonly metrics: GatewayMetrics;
  /** Every turn's token counts and model latency, for `openclaw usage`. */
  readonly usage: UsageLedger;
  /** Whether writes to the state dir work now: readiness, 507s, status and doctor read it. */
  readonly stateDirHealth: StateDirHealth;
  private securityState: GatewaySecurity | undefined;
  private tls: TlsMaterial | undefined;
  private memory: Awaited<ReturnType<typeof createGatewayMemory>>;
  private loaded: LoadedConfig | undefined;
  private loadedAt = Date.now();
  private http: HttpServer | undefined;
  private watcher: ConfigWatcher | undefined;
  /** A file change held back because it weakens the boundary (see applyFromFile). */
  private pending: PendingConfig | undefined;
  /** The config apply in progress: applies run one at a time (see serialized). */
  private applying: Promise<unknown> = Promise.resolve();
  private shuttingDown = false;
  private started: GatewayStarted | undefined;

  constructor(private readonly options: GatewayOptions) {
    this.logger = options.logger ?? createLogger();
    this.events.setMaxListeners(0);
    this.redactor = options.redactor ?? new Redactor();
    this.credentials = new GatewayCredentials(this.logger, this.redactor, options.configPath);
    this.supervisor = new AgentSupervisor({
      logger: this.logger,
      readCredential: this.credentials.readCredential,
      egressFetch: this.credentials.broker.fetch,
      stateDir: options.stateDir,
      canvas: async (call) => this.canvases.apply(call.agentId, call.sessionKey, call.action, call.input),
      memory: (call) => {
        if (!this.memory) {
          return Promise.reject(
            new OpenClawError("OC_ERR_MEMORY", "memory is off (memory.enabled is false)"),
          );
        }
        // What an agent stores is kept on disk, embedded and synced: masked like a transcript.
        // A full disk (SQLITE_FULL) is the state dir's health too; the tool call fails as it did.
        return this.memory.service
          .call({ ...call, input: this.redactor.redactValue(call.input) })
          .catch((error: unknown) => {
            this.stateDirHealth.writeFailed("memory", error);
            throw error;
          });
      },
      sandbox: new LazySandbox({
        stateDir: options.stateDir,
        logger: this.logger,
        secretValue: (name) => this.credentials.store.get(name),
      }),
    });
    this.stateDirHealth = new StateDirHealth(options.stateDir, {
      onChange: (health) => logStateDirChange(this.logger, health),
    });
    logSinksOf(this.logger)?.file.reportTo(this.stateDirHealth);
    const onRepaired = (path: string, cutBytes: number) => logRepairedTail(this.logger, path, cutBytes);
    this.transcripts = new TranscriptStore(options.stateDir, {
      redact: (value) => this.redactor.redactValue(value),
      health: this.stateDirHealth,
      onRepaired,
      onDamagedLines: (report) => logDamagedTranscript(this.logger, report),
    });
    this.retention = new SessionRetention(this.transcripts, {
      policy: () => retentionPolicyOf(this.config().sessions),
      onSweep: (sweep) => logRetentionSweep(this.logger, sweep),
    });
    this.chat = new ChatService(
      this.supervisor,
      this.transcripts,
      this.logger,
      this.redactor,
      this.stateDirHealth,
    );
    this.usage = new UsageLedger(
      options.stateDir,
      (error) => this.logger.error({ error: error.message }, "usage ledger write failed"),
      { health: this.stateDirHealth, onRepaired },
    );
    this.chat.onTurnEnd((record) => this.usage.record(record));
    this.metrics = new GatewayMetrics({
      version: VERSION,
      agents: () => this.supervisor.list(),
      memory: () => this.memoryStatus(),
      webSocketConnections: () => this.http?.connections.size ?? 0,
      onTurnEnd: (observer) => this.chat.onTurnEnd(observer),
      onSecretRotate: (listener) => this.credentials.onRotate(listener),
      logLinesDropped: () => logSinksOf(this.logger)?.droppedLines() ?? { file: 0, console: 0 },
      stateDirWritable: () => this.stateDirHealth.writable,
    });
    // Viewers follow a canvas live: every change goes out whole to the operators' connections.
    this.canvases.onChange((state) =>
      this.events.emit("broadcast", "canvas", {
        sessionKey: state.sessionKey,
        agentId: state.agentId,
        html: state.html ?? null,
        a2ui: state.a2ui,
        updatedAt: state.updatedAt,
      }),
    );
    // A secret that changes (or appears) may revive agents that were degraded for want of it;
    // healthy agents hold placeholders and are left alone by the re-apply.
    this.credentials.onRotate((name) => {
      this.logger.info({ secret: name }, "secret rotated");
      if (this.loaded && !this.shuttingDown) {
        void this.supervisor.apply(this.loaded.config, this.options.configPath);
      }
    });
  }

  get configPath(): string {
    return this.options.configPath;
  }

  get stateDir(): string {
    return this.options.stateDir;
  }

  config(): OpenClawConfig {
    if (!this.loaded) throw new Error("gateway config is not loaded yet");
    return this.loaded.config;
  }

  configLoadedAt(): number {
    return this.loadedAt;
  }

  listening(): { host: string; port: number } | undefined {
    return this.started ? { host: this.started.host, port: this.started.port } : undefined;
  }

  configExists(): boolean {
    return this.loaded?.exists ?? false;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  async start(): Promise<GatewayStarted> {
    this.loaded = await loadConfigFile(this.options.configPath);
    this.loadedAt = Date.now();
    this.applyLogging(this.loaded.config);
    try {
      await this.credentials.apply(this.loaded.config);
      this.securityState = await GatewaySecurity.open({
        stateDir: this.options.stateDir,
        credentials: this.credentials,
        redactor: this.redactor,
        logger: this.logger,
        config: this.loaded.config,
      });
      await this.securityState.apply(this.loaded.config, this.listenHost());
    } catch (error) {
      this.credentials.close();
      throw error;
    }
    this.memory = await createGatewayMemory({
      config: this.loaded.config,
      stateDir: this.options.stateDir,
      credentials: this.credentials,
      logger: this.logger,
    });
    await this.supervisor.apply(this.loaded.config, this.options.configPath);
    await this.indexWorkspaces();
    this.tls = await loadTls(
      this.loaded.config,
      this.options.stateDir,
      dirname(this.options.configPath),
      this.listenHost(),
      this.logger,
    );
    this.http = await buildHttpServer(this, this.options.host ?? this.loaded.config.gateway.host, this.tls);
    const host = this.options.host ?? this.loaded.config.gateway.host;
    const requestedPort = this.options.port ?? this.loaded.config.gateway.port;
    try {
      await this.http.server.listen({ host, port: requestedPort });
    } catch (error) {
      await this.supervisor.close();
      this.credentials.close();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EADDRINUSE") {
        throw new OpenClawError(
          "OC_ERR_GATEWAY_START",
          `port ${requestedPort} on ${host} is already in use`,
          {
            hint: "another gateway may be running (`openclaw gateway status`); or set gateway.port",
          },
        );
      }
      throw new OpenClawError(
        "OC_ERR_GATEWAY_START",
        `cannot listen on ${host}:${requestedPort}: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
    const address = this.http.server.server.address();
    const port = typeof address === "object" && address ? address.port : requestedPort;
    this.started = {
      url: httpUrl(host, port, this.tls ? "https" : "http"),
      host,
      port,
      ...(this.tls
        ? { tls: { fingerprint256: this.tls.fingerprint256, selfSigned: this.tls.selfSigned } }
        : {}),
    };
    if (this.options.watchConfig !== false) this.watchConfig();
    if (this.options.writeRuntimeState) {
      await this.security.writeLocalToken();
      const runtimeState = writeRuntimeState(this.options.stateDir, {
        pid: process.pid,
        url: this.started.url,
        host,
        port,
        configPath: this.options.configPath,
        startedAt: this.startedAt,
        listeningAt: Date.now(),
        version: this.version,
        ...(logSinksOf(this.logger) ? { logPath: logSinksOf(this.logger)?.file.path } : {}),
        ...(this.tls ? { tlsCertPath: this.tls.certPath } : {}),
        ...(this.security.generatedTokenFingerprint()
          ? { tokenFingerprint: this.security.generatedTokenFingerprint() }
          : {}),
      });
      await this.reportRuntimeStateWrite(runtimeState);
    }
    this.retention.start();
    this.logger.info({ url: this.started.url, configPath: this.options.configPath }, "gateway listening");
    return this.started;
  }

  /** Re-reads the config file now, as the watcher does on change: a weakening change is held. */
  async reload(): Promise<void> {
    await this.applyFromFile(await loadConfigFile(this.options.configPath));
  }

  pendingConfig(): PendingConfig | undefined {
    return this.pending;
  }

  /** sha256 of the bytes the running config was loaded from (undefined: no file, defaults). */
  runningConfigHash(): string | undefined {
    return this.loaded?.hash;
  }

  /**
   * `openclaw config apply`: re-reads the file and applies all of it, weakening included, as a
   * restart would. With `baseHash`, only that version of the file (the hash status showed).
   */
  applyConfigFile(options: { baseHash?: string } = {}): Promise<AppliedConfig> {
    return this.serialized(async () => {
      const loaded = await loadConfigFile(this.options.configPath);
      if (!loaded.exists || loaded.hash === undefined) {
        throw new OpenClawError(
          "OC_ERR_CONFIG_READ",
          `config file ${loaded.path} does not exist; nothing applied`,
          {
            hint: "restore the file, or restart the gateway to run with the built-in defaults",
            details: { path: loaded.path },
          },
        );
      }
      if (options.baseHash !== undefined && options.baseHash !== loaded.hash) {
        throw new OpenClawError(
          "OC_ERR_CONFIG_CHANGED",
          `config file ${loaded.path} is no longer the version asked for (${options.baseHash}); nothing applied`,
          {
            hint: "review it again (`openclaw status` shows config.pending and its hash), then apply that hash",
            details: { path: loaded.path, hash: loaded.hash, baseHash: options.baseHash },
          },
        );
      }
      const weakening = this.loaded ? weakeningChanges(this.loaded.config, loaded.config) : [];
      const agents = await this.applyLoaded(loaded).catch((error: unknown) => {
        this.logConfigRejected(error);
        throw error;
      });
      this.pending = undefined;
      if (weakening.length > 0) {
        this.logger.warn(
          { configPath: this.options.configPath, hash: loaded.hash, weakening },
          `config applied by an operator, weakening the security boundary (${weakening.map((change) => change.path).join(", ")})`,
        );
      }
      return { path: loaded.path, hash: loaded.hash, weakening, agents };
    });
  }

  secrets() {
    return this.credentials.list();
  }

  /** Memory status per agent (`openclaw memory status`), or undefined when memory is off. */
  memoryStatus() {
    return this.memory?.service.status();
  }

  async resyncMemory(agentId?: string): Promise<string[]> {
    if (!this.memory) throw new OpenClawError("OC_ERR_MEMORY", "memory is off (memory.enabled is false)");
    return this.memory.service.resync(agentId);
  }

  async repairMemory(agentId: string, options: { force?: boolean } = {}) {
    const memory = this.memory;
    if (!memory) throw new OpenClawError("OC_ERR_MEMORY", "memory is off (memory.enabled is false)");
    const root = this.supervisor.workspaceRoots().get(agentId);
    return memory.service.repair(agentId, {
      ...options,
      // Watched again: the watcher of the old store's files feeds the new store from now on.
      ...(root ? { reindexWorkspace: () => memory.indexer.watchAndCount(agentId, root) } : {}),
    });
  }

  /** Indexes (and watches) each agent's MEMORY.md and memory/*.md. */
  private async indexWorkspaces(): Promise<void> {
    if (!this.memory) return;
    for (const [agentId, root] of this.supervisor.workspaceRoots()) {
      await this.memory.indexer.watch(agentId, root).catch((error: unknown) => {
        this.logger.warn({ agent: agentId, error: (error as Error).message }, "memory files not indexed");
      });
    }
  }

  get security(): GatewaySecurity {
    if (!this.securityState) throw new Error("the gateway is not started");
    return this.securityState;
  }

  /** The address the gateway listens on: the CLI's --host, else gateway.host. */
  private listenHost(): string {
    return this.options.host ?? this.loaded?.config.gateway.host ?? "127.0.0.1";
  }

  /** Re-reads external secrets (`openclaw secrets reload`, SIGHUP); file sources are also watched. */
  async reloadSecrets(names?: readonly string[]) {
    const report = await this.credentials.reload(names);
    this.metrics.recordSecretReload(report);
    this.logger.info(report, "secrets reloaded");
    return report;
  }

  async stop(reason = "shutdown"): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.watcher?.close();
    const graceMs = this.options.shutdownGraceMs ?? 5000;
    const deadline = Date.now() + graceMs;
    while (this.chat.activeRunCount() > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    this.chat.abortAll(`gateway ${reason}`);
    for (const connection of this.http?.connections ?? []) connection.shutdown(reason);
    if (this.http) {
      // WebSocket peers get a moment to answer the close frame (within the drain time, but at
      // least SOCKET_CLOSE_GRACE_MS); after that every socket still open is destroyed, so a
      // client that never hangs up (or an upgrade stuck half-way) cannot keep the process alive.
      const closing = this.http.server.close();
      const wait = Math.min(Math.max(deadline - Date.now(), SOCKET_CLOSE_GRACE_MS), SOCKET_CLOSE_MAX_MS);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closing, new Promise((resolve) => (timer = setTimeout(resolve, wait)))]);
      clearTimeout(timer);
      const destroyed = this.http.destroySockets();
      if (destroyed > 0) this.logger.info({ sockets: destroyed }, "open sockets closed at shutdown");
      await closing;
    }
    await this.supervisor.close();
    this.memory?.indexer.close();
    await this.retention.stop();
    await this.transcripts.close();
    await this.usage.close();
    await this.memory?.service.close();
    this.credentials.close();
    // Removing a file needs no space; on a read-only state dir it fails, and stop goes on.
    if (this.options.writeRuntimeState)
      await this.reportRuntimeStateWrite(removeRuntimeState(this.options.stateDir)).catch(() => undefined);
    this.stateDirHealth.close();
    this.logger.info({ reason }, "gateway stopped");
    this.logger.flush?.();
  }

  /** gateway.json's write, told to the state dir's health; a full disk becomes OC_ERR_DISK_FULL. */
  private async reportRuntimeStateWrite(write: Promise<void>): Promise<void> {
    const path = runtimeStatePath(this.options.stateDir);
    try {
      await write;
    } catch (error) {
      this.stateDirHealth.writeFailed("runtime-state", error, path);
      throw asStateWriteError(error, { stateDir: this.options.stateDir, path });
    }
    this.stateDirHealth.writeSucceeded("runtime-state");
  }

  /** logging.* from the config: level (unless OPENCLAW_LOG_LEVEL), rotation, console format. */
  private applyLogging(config: OpenClawConfig): void {
    if (this.options.levelFromConfig) this.logger.level = config.logging.level;
    const sinks = logSinksOf(this.logger);
    if (!sinks) return;
    sinks.file.setLimits({
      maxBytes: Math.round(config.logging.file.maxSizeMb * 1024 * 1024),
      maxFiles: config.logging.file.maxFiles,
    });
    const wanted = config.logging.console;
    if (wanted !== "auto") sinks.setConsole(wanted);
    else sinks.setConsole(this.options.detached ? "off" : process.stdout.isTTY ? "pretty" : "json");
  }

  private watchConfig(): void {
    this.watcher = new ConfigWatcher(this.options.configPath, {
      onChange: (loaded) => void this.applyFromFile(loaded),
      onError: (error) => this.logConfigRejected(error),
    });
  }

  private logConfigRejected(error: unknown): void {
    const failure = error instanceof OpenClawError ? error.describe() : String(error);
    this.logger.error(
      { configPath: this.options.configPath, error: failure },
      "config change rejected; keeping the running config",
    );
  }

  /** Config applies run one at a time, so each verdict (hold or apply) is against the config in force. */
  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.applying.catch(() => undefined).then(work);
    this.applying = run;
    return run;
  }

  /**
   * A change seen in the file (by the watcher, or `reload`). Whoever can write the file (an agent
   * with file tools, say) must not be able to open the gateway with it: a change that weakens the
   * boundary is held, whole, and the running config stays entirely in force until an operator
   * applies the file or restarts. No partial merge (the harmless part now, the rest later) is
   * attempted: settings depend on each other (an agent on the defaults it inherits, a mode on its
   * credential), so a part of a file is a config that nobody wrote or reviewed.
   */
  private applyFromFile(loaded: LoadedConfig): Promise<void> {
    return this.serialized(async () => {
      const weakening = this.loaded ? weakeningChanges(this.loaded.config, loaded.config) : [];
      if (weakening.length > 0) {
        this.pending = { hash: loaded.hash ?? "missing", weakening, since: Date.now() };
        this.logger.warn(
          { configPath: this.options.configPath, hash: this.pending.hash, weakening },
          heldConfigMessage(weakening),
        );
        return;
      }
      // The file no longer holds the held version: this one supersedes it.
      this.pending = undefined;
      await this.applyLoaded(loaded).catch((error: unknown) => this.logConfigRejected(error));
    });
  }

  /** Puts a config in force; throws, keeping the running one, when it cannot be used. */
  private async applyLoaded(
    loaded: LoadedConfig,
  ): Promise<{ added: string[]; changed: string[]; removed: string[] }> {
    try {
      await this.credentials.apply(loaded.config);
      await this.security.apply(loaded.config, this.listenHost());
    } catch (error) {
      if (this.loaded) await this.credentials.apply(this.loaded.config).catch(() => undefined);
      throw error;
    }
    const previous = this.loaded?.config;
    this.loaded = loaded;
    this.loadedAt = Date.now();
    this.applyLogging(loaded.config);
    if (
      previous &&
      (previous.gateway.host !== loaded.config.gateway.host ||
        previous.gateway.port !== loaded.config.gateway.port)
    ) {
      this.logger.warn(
        "gateway.host / gateway.port changed: restart the gateway to listen on the new address",
      );
    }
    const changes = await this.supervisor.apply(loaded.config, this.options.configPath);
    await this.indexWorkspaces();
    this.logger.info(changes, "config reloaded");
    this.events.emit("config-applied", changes);
    return changes;
  }
}
