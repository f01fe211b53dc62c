import type { ExternalSecretConfig } from "../config/schema.js";
import { toOpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import { resolveSecretFilePath } from "./file-source.js";
import type { Redactor } from "./redactor.js";
import { unknownSecret } from "./secret-errors.js";
import { SecretFileWatcher } from "./secret-file-watcher.js";
import type { ReloadReport, SecretHealth, SecretStatus } from "./secret-status.js";
import { describeSecretSource, readSecretSource, type SecretSourceOptions } from "./sources.js";

export interface SecretStoreOptions {
  /** Only these three: a one-shot command passes a no-op one without loading pino. */
  logger: Pick<Logger, "info" | "warn" | "error">;
  /** Every value read is registered here before the store keeps it. */
  redactor: Redactor;
  /** The gateway's environment (default: process.env), read again on every reload. */
  env?: NodeJS.ProcessEnv;
  /** Directory of the config file: relative file paths and exec working directory. */
  configDir: string;
  /** Follow file secrets' symlinks that leave the configured file's directory. */
  allowSymlinkOutside?: boolean;
  /** Variables exec commands inherit in addition to DEFAULT_EXEC_ENV_ALLOW_LIST. */
  execEnvAllowList?: readonly string[];
  /** Watch file secrets and re-read them on change (default true). */
  watchFiles?: boolean;
  watchDebounceMs?: number;
}

type RefreshOutcome = "changed" | "unchanged" | "failed";

interface SecretEntry {
  readonly name: string;
  readonly declaration: ExternalSecretConfig;
  readonly fingerprint: string;
  value: string | undefined;
  status: SecretHealth;
  error?: string | undefined;
  hint?: string | undefined;
  loadedAt?: string | undefined;
  lastRotationAt?: string | undefined;
  rotations: number;
  /** Whether a read has completed; until then a new value is a first load, not a rotation. */
  settled: boolean;
  /** The value served under a previous declaration of the same name, to tell a rotation apart. */
  replacedValue: string | undefined;
  /** Reads of one secret run one at a time, so a slow old read never overwrites a newer value. */
  queue: Promise<unknown>;
}

/** Key order of a parsed config is the file's; the fingerprint must not depend on it. */
function fingerprintOf(declaration: ExternalSecretConfig): string {
  return JSON.stringify(declaration, Object.keys(declaration).sort());
}

/**
 * The resolved values of `externalSecrets`, kept current: file sources are watched, every source
 * is re-read on `reload()`, and a source that fails after having worked keeps serving its last
 * good value (status "degraded") so that a botched rotation does not take agents down.
 */
export class SecretStore {
  private readonly entries = new Map<string, SecretEntry>();
  private readonly listeners = new Set<(name: string) => void>();
  private readonly sourceOptions: SecretSourceOptions;
  private readonly watcher: SecretFileWatcher | undefined;
  private closed = false;

  constructor(private readonly options: SecretStoreOptions) {
    this.sourceOptions = {
      env: options.env ?? process.env,
      configDir: options.configDir,
      allowSymlinkOutside: options.allowSymlinkOutside === true,
      execEnvAllowList: options.execEnvAllowList ?? [],
    };
    if (options.watchFiles !== false) {
      this.watcher = new SecretFileWatcher({
        debounceMs: options.watchDebounceMs ?? 50,
        onChange: (name) => {
          const entry = this.entries.get(name);
          if (entry) void this.refresh(entry);
        },
      });
    }
  }

  /**
   * Applies the declared secrets: new and changed declarations are read, removed ones dropped,
   * unchanged ones kept as they are. A secret that cannot be read is recorded as "missing"; this
   * never throws for one bad secret. A changed declaration starts over: the value of the old
   * source is not served when the new one fails.
   */
  async load(declarations: Record<string, ExternalSecretConfig>): Promise<void> {
    for (const name of [...this.entries.keys()]) {
      if (!Object.hasOwn(declarations, name)) this.remove(name);
    }
    const reads: Promise<RefreshOutcome>[] = [];
    for (const [name, declaration] of Object.entries(declarations)) {
      const fingerprint = fingerprintOf(declaration);
      const existing = this.entries.get(name);
      if (existing?.fingerprint === fingerprint) continue;
      const entry: SecretEntry = {
        name,
        declaration,
        fingerprint,
        value: undefined,
        status: "missing",
        rotations: existing?.rotations ?? 0,
        lastRotationAt: existing?.lastRotationAt,
        settled: false,
        replacedValue: existing?.value,
        queue: Promise.resolve(),
      };
      this.entries.set(name, entry);
      if (existing) {
        this.options.logger.info({ secret: name, source: declaration.source }, "external secret redeclared");
      }
      this.watchEntry(entry);
      reads.push(this.refresh(entry));
    }
    await Promise.all(reads);
  }

  /**
   * Reads the named secrets (default: all) again. Unknown names are an `OC_ERR_SECRET_UNKNOWN`
   * before anything is read.
   */
  async reload(names?: readonly string[]): Promise<ReloadReport> {
    const selected = names ? [...new Set(names)] : [...this.entries.keys()];
    const entries = selected.map((name) => {
      const entry = this.entries.get(name);
      if (!entry) throw unknownSecret(name, [...this.entries.keys()].sort());
      return entry;
    });
    const outcomes = await Promise.all(entries.map((entry) => this.refresh(entry)));
    const report: ReloadReport = { changed: [], unchanged: [], failed: [] };
    entries.forEach((entry, index) => {
      report[outcomes[index] as RefreshOutcome].push(entry.name);
    });
    for (const list of Object.values(report)) list.sort();
    return report;
  }

  /** The value to use now: current, or the last good one while degraded. */
  get(name: string): string | undefined {
    return this.entries.get(name)?.value;
  }

  /** Whether a value is available (status ok or degraded). */
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  status(name: string): SecretStatus | undefined {
    const entry = this.entries.get(name);
    return entry ? this.statusOf(entry) : undefined;
  }

  list(): SecretStatus[] {
    return [...this.entries.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((entry) => this.statusOf(entry));
  }

  /**
   * Calls `listener` after a secret's value changed outside its first load: rotated, redeclared
   * with a different value, or available again after being missing. Returns an unsubscribe.
   */
  onRotate(listener: (name: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops watching files. Values stay readable; reads still in flight are discarded. */
  close(): void {
    this.closed = true;
    this.watcher?.close();
  }

  private statusOf(entry: SecretEntry): SecretStatus {
    const status: SecretStatus = {
      name: entry.name,
      source: entry.declaration.source,
      detail: describeSecretSource(entry.declaration, this.options.configDir),
      status: entry.status,
      rotations: entry.rotations,
    };
    if (entry.error !== undefined) status.error = entry.error;
    if (entry.hint !== undefined) status.hint = entry.hint;
    if (entry.loadedAt !== undefined) status.loadedAt = entry.loadedAt;
    if (entry.lastRotationAt !== undefined) status.lastRotationAt = entry.lastRotationAt;
    return status;
  }

  private watchEntry(entry: SecretEntry): void {
    if (!this.watcher || this.closed) return;
    if (entry.declaration.source === "file") {
      this.watcher.watch(entry.name, resolveSecretFilePath(entry.declaration, this.options.configDir));
    } else this.watcher.unwatch(entry.name);
  }

  private remove(name: string): void {
    const entry = this.entries.get(name);
    this.entries.delete(name);
    this.watcher?.unwatch(name);
    if (entry)
      this.options.logger.info({ secret: name, source: entry.declaration.source }, "external secret removed");
  }

  private isCurrent(entry: SecretEntry): boolean {
    return !this.closed && this.entries.get(entry.name) === entry;
  }

  private refresh(entry: SecretEntry): Promise<RefreshOutcome> {
    const read = entry.queue.then(() => this.read(entry));
    entry.queue = read.catch(() => undefined);
    return read;
  }

  private async read(entry: SecretEntry): Promise<RefreshOutcome> {
    let value: string;
    try {
      value = await readSecretSource(entry.name, entry.declaration, this.sourceOptions);
    } catch (error) {
      if (this.isCurrent(entry)) this.recordFailure(entry, error);
      return "failed";
    }
    // First, before the value is kept anywhere: from here on every output path masks it.
    this.options.redactor.add(value);
    if (!this.isCurrent(entry)) return "unchanged";

    const wasSettled = entry.settled;
    const previous = wasSettled ? entry.value : entry.replacedValue;
    const recovered = entry.status !== "ok" && wasSettled;
    entry.settled = true;
    entry.replacedValue = undefined;
    entry.status = "ok";
    entry.error = undefined;
    entry.hint = undefined;
    const fields = { secret: entry.name, source: entry.declaration.source };

    if (previous === value) {
      entry.value = value;
      entry.loadedAt ??= new Date().toISOString();
      if (recovered) this.options.logger.info({ ...fields, status: "ok" }, "external secret readable again");
      return "unchanged";
    }
    const now = new Date().toISOString();
    entry.value = value;
    entry.loadedAt = now;
    if (previous !== undefined) {
      entry.rotations += 1;
      entry.lastRotationAt = now;
      this.options.logger.info(
        { ...fields, status: "ok", rotations: entry.rotations },
        "external secret rotated",
      );
    } else this.options.logger.info({ ...fields, status: "ok" }, "external secret loaded");
    if (wasSettled || previous !== undefined) this.notify(entry.name);
    return "changed";
  }

  private recordFailure(entry: SecretEntry, error: unknown): void {
    const failure = toOpenClawError(error, "OC_ERR_SECRET_UNAVAILABLE");
    // Defence in depth: the sources never put a value in an error, but a known value never leaves.
    const message = this.options.redactor.redact(failure.message);
    const hint = failure.hint === undefined ? undefined : this.options.redactor.redact(failure.hint);
    entry.settled = true;
    entry.replacedValue = undefined;
    const status: SecretHealth = entry.value === undefined ? "missing" : "degraded";
    const repeated = entry.status === status && entry.error === message;
    entry.status = status;
    entry.error = message;
    entry.hint = hint;
    // A watched file being rewritten can fail the same way many times; say it once.
    if (repeated) return;
    const fields = {
      secret: entry.name,
      source: entry.declaration.source,
      status,
      code: failure.code,
      error: message,
    };
    if (status === "degraded") {
      this.options.logger.warn(fields, "external secret cannot be read; keeping the last good value");
    } else this.options.logger.warn(fields, "external secret cannot be read");
  }

  private notify(name: string): void {
    for (const listener of this.listeners) {
      try {
        listener(name);
      } catch (error) {
        const message = this.options.redactor.redact(error instanceof Error ? error.message : String(error));
        this.options.logger.error(
          { secret: name, error: message },
          "external secret rotation listener failed",
        );
      }
    }
  }
}
