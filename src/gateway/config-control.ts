import { weakeningChanges } from "../config/boundary-changes.js";
import type { LoadedConfig, OpenClawConfig } from "../config/index.js";
import { formatIssue } from "../config/issue-format.js";
import { loadConfigFileCached } from "../config/validated-cache.js";
import { ConfigWatcher } from "../config/watch.js";
import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import {
  type AgentChanges,
  type AppliedConfig,
  heldConfigMessage,
  type PendingConfig,
} from "./held-config.js";

/**
 * The full loader, imported when a file is read again (reload, apply): it builds the config schema,
 * which a start answered by the validated-config cache never needs before it is ready.
 */
async function loadConfigFile(path: string): Promise<LoadedConfig> {
  return (await import("../config/load.js")).loadConfigFile(path);
}

export interface ConfigControlOptions {
  configPath: string;
  /**
   * The state dir whose validated-config cache answers the first load when the file, the loader's
   * code and the environment variables the file names are those of a load that validated before
   * (a restart); otherwise the file is loaded in full and the result kept for the next start.
   */
  stateDir?: string;
  /** The first load's result, when the caller has it already (see GatewayOptions.loadedConfig). */
  loaded?: LoadedConfig;
  logger: Logger;
  /**
   * Puts a loaded config in force: `commit()` once it is accepted (credentials and auth built),
   * the agents and the rest after. Throwing keeps the running config.
   */
  apply(loaded: LoadedConfig, previous: LoadedConfig | undefined, commit: () => void): Promise<AgentChanges>;
}

/**
 * The config the gateway runs: loaded at start, followed from the file (debounced, hashed, each
 * version judged in turn), held whole when a change weakens the security boundary until an
 * operator applies it, and reported with the hash of the bytes it came from.
 */
export class ConfigControl {
  private loaded: LoadedConfig | undefined;
  private loadedAt = Date.now();
  private watcher: ConfigWatcher | undefined;
  /** A file change held back because it weakens the boundary (see fromFile). */
  private pending: PendingConfig | undefined;
  /** The apply in progress: applies run one at a time, each judged against the config in force. */
  private applying: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ConfigControlOptions) {}

  /** Reads the file for the first start; nothing is applied yet. */
  async load(): Promise<LoadedConfig> {
    const { configPath, stateDir } = this.options;
    const loaded =
      this.options.loaded ??
      (stateDir ? await loadConfigFileCached(configPath, stateDir) : await loadConfigFile(configPath));
    this.loaded = loaded;
    this.loadedAt = Date.now();
    this.logIgnoredSettings(loaded);
    return loaded;
  }

  /** An OpenClaw setting this gateway does not implement: said once per version that names it. */
  private logIgnoredSettings(loaded: LoadedConfig): void {
    for (const warning of loaded.warnings) {
      this.options.logger.warn(
        { configPath: loaded.path, setting: warning.path, line: warning.line },
        formatIssue(loaded.path, warning),
      );
    }
  }

  config(): OpenClawConfig {
    if (!this.loaded) throw new Error("gateway config is not loaded yet");
    return this.loaded.config;
  }

  current(): LoadedConfig | undefined {
    return this.loaded;
  }

  configLoadedAt(): number {
    return this.loadedAt;
  }

  exists(): boolean {
    return this.loaded?.exists ?? false;
  }

  /** sha256 of the bytes the running config came from (undefined: no file, the defaults). */
  runningHash(): string | undefined {
    return this.loaded?.hash;
  }

  pendingConfig(): PendingConfig | undefined {
    return this.pending;
  }

  watch(): void {
    this.watcher ??= new ConfigWatcher(this.options.configPath, {
      onChange: (loaded) => void this.fromFile(loaded),
      onError: (error) => this.logRejected(error),
    });
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** Re-reads the file now, as the watcher does on change: a weakening change is held. */
  async reload(): Promise<void> {
    await this.fromFile(await loadConfigFile(this.options.configPath));
  }

  /**
   * `openclaw config apply`: re-reads the file and applies all of it, weakening included, as a
   * restart would. With `baseHash`, only that version of the file (the hash status showed).
   */
  applyFile(options: { baseHash?: string } = {}): Promise<AppliedConfig> {
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
      const agents = await this.commit(loaded).catch((error: unknown) => {
        this.logRejected(error);
        throw error;
      });
      this.pending = undefined;
      if (weakening.length > 0) {
        this.options.logger.warn(
          { configPath: this.options.configPath, hash: loaded.hash, weakening },
          `config applied by an operator, weakening the security boundary (${weakening.map((change) => change.path).join(", ")})`,
        );
      }
      return { path: loaded.path, hash: loaded.hash, weakening, agents };
    });
  }

  /**
   * A change seen in the file. Whoever can write the file (an agent with file tools, say) must
   * not be able to open the gateway with it: a change that weakens the boundary is held, whole,
   * and the running config stays entirely in force until an operator applies the file or
   * restarts. No partial merge is attempted: settings depend on each other (an agent on the
   * defaults it inherits, a mode on its credential), so a part of a file is a config that
   * nobody wrote or reviewed.
   */
  private fromFile(loaded: LoadedConfig): Promise<void> {
    return this.serialized(async () => {
      const weakening = this.loaded ? weakeningChanges(this.loaded.config, loaded.config) : [];
      if (weakening.length > 0) {
        this.pending = { hash: loaded.hash ?? "missing", weakening, since: Date.now() };
        this.options.logger.warn(
          { configPath: this.options.configPath, hash: this.pending.hash, weakening },
          heldConfigMessage(weakening),
        );
        return;
      }
      // The file no longer holds the held version: this one supersedes it.
      this.pending = undefined;
      await this.commit(loaded).catch((error: unknown) => this.logRejected(error));
    });
  }

  private commit(loaded: LoadedConfig): Promise<AgentChanges> {
    const previous = this.loaded;
    return this.options.apply(loaded, previous, () => {
      this.loaded = loaded;
      this.loadedAt = Date.now();
      this.logIgnoredSettings(loaded);
    });
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.applying.catch(() => undefined).then(work);
    this.applying = run;
    return run;
  }

  private logRejected(error: unknown): void {
    const failure = error instanceof OpenClawError ? error.describe() : String(error);
    this.options.logger.error(
      { configPath: this.options.configPath, error: failure },
      "config change rejected; keeping the running config",
    );
  }
}
