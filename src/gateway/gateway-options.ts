import type { LoadedConfig } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import type { Redactor } from "../secrets/index.js";
import type { Storage } from "../storage/index.js";

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
  /**
   * The storage, opened by the caller (`openStorage` for storage.kind "postgres": it connects
   * and migrates, which the constructor cannot wait for); the gateway closes it on stop. Absent:
   * the state dir's files backend.
   */
  storage?: Storage;
  /**
   * The config as the caller already loaded it for this start (`gateway run` reads it first for
   * storage.kind): the start runs it instead of reading and validating the file a second time.
   * Absent, or undefined because it did not load: the start loads the file and reports its errors.
   */
  loadedConfig?: LoadedConfig;
}

export interface GatewayStarted {
  url: string;
  host: string;
  port: number;
  tls?: { fingerprint256: string; selfSigned: boolean };
}
