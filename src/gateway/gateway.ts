import { EventEmitter } from "node:events";
import { AgentSupervisor, ChatService, type CredentialReader } from "../agents/index.js";
import { ConfigWatcher, type LoadedConfig, loadConfigFile, type OpenClawConfig } from "../config/index.js";
import { OpenClawError } from "../errors.js";
import { createLogger, type Logger } from "../logging/index.js";
import { TranscriptStore } from "../sessions/index.js";
import { VERSION } from "../version.js";
import { httpUrl } from "./client-address.js";
import type { GatewayContext } from "./gateway-context.js";
import { buildHttpServer, type HttpServer } from "./http-server.js";
import { removeRuntimeState, writeRuntimeState } from "./runtime-state.js";

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
  logPath?: string;
  /** How long in-flight turns may finish on shutdown before they are aborted. */
  shutdownGraceMs?: number;
}

export interface GatewayStarted {
  url: string;
  host: string;
  port: number;
}

/**
 * Credentials in config are plain strings for now; `{ "$secret": name }` references need the
 * external-secrets store, so an agent depending on one is degraded with that reason.
 */
const readInlineCredential: CredentialReader = (credential, path) => {
  if (typeof credential === "string") return credential;
  throw new OpenClawError(
    "OC_ERR_MODEL_CONFIG",
    `${path} references external secret "${credential.$secret}"`,
    {
      hint: "external secret resolution is not available in this build; put the key inline for development",
    },
  );
};

/** The gateway process: config, agents, sessions, HTTP + WebSocket server, hot reload. */
export class Gateway implements GatewayContext {
  readonly version = VERSION;
  readonly startedAt = Date.now();
  readonly events = new EventEmitter();
  readonly logger: Logger;
  readonly supervisor: AgentSupervisor;
  readonly transcripts: TranscriptStore;
  readonly chat: ChatService;
  private loaded: LoadedConfig | undefined;
  private loadedAt = Date.now();
  private http: HttpServer | undefined;
  private watcher: ConfigWatcher | undefined;
  private shuttingDown = false;
  private started: GatewayStarted | undefined;

  constructor(private readonly options: GatewayOptions) {
    this.logger = options.logger ?? createLogger();
    this.events.setMaxListeners(0);
    this.supervisor = new AgentSupervisor(this.logger, readInlineCredential);
    this.transcripts = new TranscriptStore(options.stateDir);
    this.chat = new ChatService(this.supervisor, this.transcripts, this.logger);
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

  configExists(): boolean {
    return this.loaded?.exists ?? false;
  }

  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  async start(): Promise<GatewayStarted> {
    this.loaded = await loadConfigFile(this.options.configPath);
    this.loadedAt = Date.now();
    await this.supervisor.apply(this.loaded.config, this.options.configPath);
    this.http = await buildHttpServer(this);
    const host = this.options.host ?? this.loaded.config.gateway.host;
    const requestedPort = this.options.port ?? this.loaded.config.gateway.port;
    try {
      await this.http.server.listen({ host, port: requestedPort });
    } catch (error) {
      await this.supervisor.close();
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
    this.started = { url: httpUrl(host, port), host, port };
    if (this.options.watchConfig !== false) this.watchConfig();
    if (this.options.writeRuntimeState) {
      await writeRuntimeState(this.options.stateDir, {
        pid: process.pid,
        url: this.started.url,
        host,
        port,
        configPath: this.options.configPath,
        startedAt: this.startedAt,
        listeningAt: Date.now(),
        version: this.version,
        ...(this.options.logPath ? { logPath: this.options.logPath } : {}),
      });
    }
    this.logger.info({ url: this.started.url, configPath: this.options.configPath }, "gateway listening");
    return this.started;
  }

  /** Re-reads the config file now (also what the watcher does on change). */
  async reload(): Promise<void> {
    this.applyLoaded(await loadConfigFile(this.options.configPath));
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
    await this.http?.server.close();
    await this.supervisor.close();
    if (this.options.writeRuntimeState) await removeRuntimeState(this.options.stateDir);
    this.logger.info({ reason }, "gateway stopped");
    this.logger.flush?.();
  }

  private watchConfig(): void {
    this.watcher = new ConfigWatcher(this.options.configPath, {
      onChange: (loaded) => this.applyLoaded(loaded),
      onError: (error) => {
        const failure = error instanceof OpenClawError ? error.describe() : String(error);
        this.logger.error(
          { configPath: this.options.configPath, error: failure },
          "config change rejected; keeping the running config",
        );
      },
    });
  }

  private applyLoaded(loaded: LoadedConfig): void {
    const previous = this.loaded?.config;
    this.loaded = loaded;
    this.loadedAt = Date.now();
    if (
      previous &&
      (previous.gateway.host !== loaded.config.gateway.host ||
        previous.gateway.port !== loaded.config.gateway.port)
    ) {
      this.logger.warn(
        "gateway.host / gateway.port changed: restart the gateway to listen on the new address",
      );
    }
    void this.supervisor.apply(loaded.config, this.options.configPath).then((changes) => {
      this.logger.info(changes, "config reloaded");
      this.events.emit("config-applied", changes);
    });
  }
}
