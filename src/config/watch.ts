import { type FSWatcher, readFileSync, type StatWatcher, unwatchFile, watch, watchFile } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { OpenClawError } from "../errors.js";
import { configHashOf } from "./config-hash.js";
import type { LoadedConfig } from "./load.js";
import { SYSTEM_WATCH_CLOCK, type WatchClock } from "./watch-clock.js";

export interface ConfigWatcherOptions {
  /** A new, valid config (parsed from the very bytes its `hash` names). */
  onChange: (loaded: LoadedConfig) => void;
  /** The file changed but cannot be used; the caller keeps the config it has. */
  onError: (error: unknown) => void;
  /** Quiet time before a reload, so that an editor's write-rename-chmod is one change. */
  debounceMs?: number;
  /** A burst of writes is read at the latest this long after its first event, quiet or not. */
  maxWaitMs?: number;
  /**
   * After an unusable read, look again after these delays: a writer that truncates and then
   * writes may have been caught half-way, and its last write may raise no event of its own.
   */
  recheckDelaysMs?: readonly number[];
  /** Times the debounce, the burst limit and the rechecks; tests pass a hand-driven one. */
  clock?: WatchClock;
}

const MISSING = "missing";
const DEFAULT_RECHECKS = [100, 400, 1500] as const;

function readHashSync(path: string): string {
  try {
    return configHashOf(readFileSync(path));
  } catch {
    return MISSING;
  }
}

/**
 * Reloads the config file when its content changes, so that the last valid version written is
 * the one that runs:
 * - the directory is watched, not the file: editors save by writing a new file and renaming it
 *   over the old one, which a watch on the old file's inode would never see;
 * - events are debounced, but a burst that never goes quiet is still read within `maxWaitMs`;
 * - each read is hashed and parsed from the same bytes, and an unchanged hash is ignored (touch,
 *   chmod, a save without edits);
 * - a read that cannot be used (torn mid-write, invalid, gone) is looked at again a few times,
 *   since the write that completes it may come without an event of its own;
 * - events during a reload are not lost: another (debounced) reload follows.
 */
export class ConfigWatcher {
  readonly path: string;
  private readonly options: ConfigWatcherOptions;
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;
  private readonly recheckDelaysMs: readonly number[];
  private readonly clock: WatchClock;
  private directoryWatcher: FSWatcher | undefined;
  private pollWatcher: StatWatcher | undefined;
  /** Cancels the pending (debounced) reload. */
  private cancelReload: (() => void) | undefined;
  private burstStartedAt: number | undefined;
  private cancelRecheck: (() => void) | undefined;
  private rechecks = 0;
  /** Hash of the last bytes judged (applied, or reported as unusable). */
  private lastHash: string;
  private reloading = false;
  private reloadAgain = false;
  private closed = false;

  constructor(configPath: string, options: ConfigWatcherOptions) {
    this.path = resolve(configPath);
    this.options = options;
    this.debounceMs = options.debounceMs ?? 100;
    this.maxWaitMs = Math.max(options.maxWaitMs ?? 1000, this.debounceMs);
    this.recheckDelaysMs = options.recheckDelaysMs ?? DEFAULT_RECHECKS;
    this.clock = options.clock ?? SYSTEM_WATCH_CLOCK;
    this.lastHash = readHashSync(this.path);
    const fileName = basename(this.path);
    try {
      this.directoryWatcher = watch(dirname(this.path), { persistent: false }, (_event, changed) => {
        if (changed === null || changed.toString() === fileName) this.schedule();
      });
      this.directoryWatcher.on("error", (error) => this.report(error));
    } catch {
      // The directory does not exist (yet): poll the path, which also notices it being created.
      this.pollWatcher = watchFile(this.path, { persistent: false, interval: 500 }, () => this.schedule());
    }
  }

  /** The hash of the bytes that produced the config running now, as the caller tells it. */
  markApplied(hash: string | undefined): void {
    this.lastHash = hash ?? MISSING;
  }

  close(): void {
    this.closed = true;
    this.cancelReload?.();
    this.cancelRecheck?.();
    this.directoryWatcher?.close();
    if (this.pollWatcher) unwatchFile(this.path);
  }

  private schedule(): void {
    if (this.closed) return;
    // A fresh event means the writer is active again: the rechecks of an older read are moot.
    this.cancelRecheck?.();
    this.rechecks = 0;
    const now = this.clock.now();
    this.burstStartedAt ??= now;
    const delay = Math.max(0, Math.min(this.debounceMs, this.burstStartedAt + this.maxWaitMs - now));
    this.cancelReload?.();
    this.cancelReload = this.clock.setTimer(() => {
      this.cancelReload = undefined;
      this.burstStartedAt = undefined;
      return this.reload();
    }, delay);
  }

  private report(error: unknown): void {
    if (this.closed) return;
    try {
      this.options.onError(error);
    } catch {
      // A throwing callback must not take the watcher down with it.
    }
  }

  private recheckLater(): void {
    const delay = this.recheckDelaysMs[this.rechecks];
    if (delay === undefined || this.closed) return;
    this.rechecks += 1;
    this.cancelRecheck?.();
    this.cancelRecheck = this.clock.setTimer(() => this.reload({ recheck: true }), delay);
  }

  private async reload(options: { recheck?: boolean } = {}): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return;
    }
    this.reloading = true;
    try {
      const bytes = await readFile(this.path).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return undefined;
        throw error;
      });
      const hash = bytes === undefined ? MISSING : configHashOf(bytes);
      if (hash === this.lastHash) return;
      if (bytes === undefined) {
        // Deleting the file would otherwise fall back to defaults and drop every agent; a
        // mistaken `rm` should not take effect until a restart makes it deliberate.
        if (!options.recheck) {
          this.report(
            new OpenClawError(
              "OC_ERR_CONFIG_READ",
              `config file ${this.path} was removed; keeping the running config`,
              {
                hint: "restore the file, or restart the gateway to run with the built-in defaults",
                details: { path: this.path },
              },
            ),
          );
        }
        this.recheckLater();
        return;
      }
      let loaded: LoadedConfig;
      try {
        // The loader (and the config schema it builds) is imported on the first change, not at
        // the gateway's start: a start whose config came from the validated-config cache never
        // builds the schema before it is ready.
        const { parseConfigBytes } = await import("./load.js");
        loaded = parseConfigBytes(bytes, this.path);
      } catch (error) {
        // Reported once per version; looked at again in case the writer was not done.
        this.lastHash = hash;
        this.report(error);
        this.recheckLater();
        return;
      }
      this.lastHash = hash;
      if (!this.closed) this.options.onChange(loaded);
    } catch (error) {
      this.report(error);
      this.recheckLater();
    } finally {
      this.reloading = false;
      if (this.reloadAgain && !this.closed) {
        this.reloadAgain = false;
        this.schedule();
      }
    }
  }
}
