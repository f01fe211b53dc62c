import { createHash } from "node:crypto";
import { type FSWatcher, readFileSync, type StatWatcher, unwatchFile, watch, watchFile } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { OpenClawError } from "../errors.js";
import { type LoadedConfig, loadConfigFile } from "./load.js";

export interface ConfigWatcherOptions {
  /** A new, valid config. */
  onChange: (loaded: LoadedConfig) => void;
  /** The file changed but cannot be used; the caller keeps the config it has. */
  onError: (error: unknown) => void;
  /** Quiet time before a reload, so that an editor's write-rename-chmod is one change. */
  debounceMs?: number;
}

const MISSING = "missing";

function hashOf(content: Buffer | undefined): string {
  return content === undefined ? MISSING : createHash("sha256").update(content).digest("hex");
}

function readHashSync(path: string): string {
  try {
    return hashOf(readFileSync(path));
  } catch {
    return MISSING;
  }
}

/**
 * Reloads the config file when its content changes. The directory is watched, not the file:
 * editors save by writing a new file and renaming it over the old one, which a watch on the old
 * file's inode would never see. Events whose content hash is unchanged (touch, chmod, a save
 * without edits) are ignored.
 */
export class ConfigWatcher {
  readonly path: string;
  private readonly options: ConfigWatcherOptions;
  private readonly debounceMs: number;
  private directoryWatcher: FSWatcher | undefined;
  private pollWatcher: StatWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastHash: string;
  private reloading = false;
  private reloadAgain = false;
  private closed = false;

  constructor(configPath: string, options: ConfigWatcherOptions) {
    this.path = resolve(configPath);
    this.options = options;
    this.debounceMs = options.debounceMs ?? 100;
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

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.directoryWatcher?.close();
    if (this.pollWatcher) unwatchFile(this.path);
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), this.debounceMs);
  }

  private report(error: unknown): void {
    if (this.closed) return;
    try {
      this.options.onError(error);
    } catch {
      // A throwing callback must not take the watcher down with it.
    }
  }

  private async reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return;
    }
    this.reloading = true;
    try {
      const content = await readFile(this.path).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return undefined;
        throw error;
      });
      const hash = hashOf(content);
      if (hash === this.lastHash) return;
      this.lastHash = hash;
      if (content === undefined) {
        // Deleting the file would otherwise fall back to defaults and drop every agent; a
        // mistaken `rm` should not take effect until a restart makes it deliberate.
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
        return;
      }
      const loaded = await loadConfigFile(this.path);
      if (!this.closed) this.options.onChange(loaded);
    } catch (error) {
      this.report(error);
    } finally {
      this.reloading = false;
      if (this.reloadAgain && !this.closed) {
        this.reloadAgain = false;
        void this.reload();
      }
    }
  }
}
