import {
  type FSWatcher,
  lstatSync,
  readlinkSync,
  realpathSync,
  unwatchFile,
  watch,
  watchFile,
} from "node:fs";
import { basename, dirname, isAbsolute, join } from "node:path";
import { SYSTEM_WATCH_CLOCK, type WatchClock } from "../config/watch-clock.js";

export interface SecretFileWatcherOptions {
  /** A watched file (or what it links to) may have changed: read it again. */
  onChange: (name: string) => void;
  /** Quiet time before `onChange`, so that an editor's write-rename-chmod is one change. */
  debounceMs?: number;
  /** Poll interval for a file whose directory cannot be watched (it does not exist yet). */
  pollIntervalMs?: number;
  /** Times the debounce; tests pass a hand-driven one. */
  clock?: Pick<WatchClock, "setTimer">;
}

/** A file name in a directory, the unit that directory watchers report. */
interface WatchTarget {
  directory: string;
  fileName: string;
}

interface DirectoryWatch {
  watcher: FSWatcher;
  /** File name → secret names to refresh when it changes. */
  files: Map<string, Set<string>>;
}

const targetKey = (target: WatchTarget): string => `${target.directory}\0${target.fileName}`;

/**
 * What to watch for a secret file. Directories are watched rather than files, because a rotation
 * by rename (editors, `mv`, atomic writers) replaces the inode a file watch would be attached to.
 * For a symlink, the entry its link text starts with is watched too: Kubernetes rotates a mounted
 * secret `key -> ..data/key` by swapping the `..data` link, which touches no file named `key`.
 */
function targetsOf(path: string): WatchTarget[] {
  const targets: WatchTarget[] = [{ directory: dirname(path), fileName: basename(path) }];
  try {
    if (!lstatSync(path).isSymbolicLink()) return targets;
    const link = readlinkSync(path);
    if (!isAbsolute(link)) {
      const first = link.split(/[\\/]/).find((segment) => segment !== "" && segment !== ".");
      if (first && first !== "..") targets.push({ directory: dirname(path), fileName: first });
    }
    const real = realpathSync(path);
    targets.push({ directory: dirname(real), fileName: basename(real) });
  } catch {
    // Missing or dangling: the directory watch above notices when it appears.
  }
  const unique = new Map(targets.map((target) => [targetKey(target), target]));
  return [...unique.values()];
}

/** Watches the files of file-sourced secrets and reports, per secret name, that one changed. */
export class SecretFileWatcher {
  private readonly debounceMs: number;
  private readonly pollIntervalMs: number;
  private readonly directories = new Map<string, DirectoryWatch>();
  /** Polled file path → secret names, for targets whose directory could not be watched. */
  private readonly polls = new Map<string, Set<string>>();
  private readonly watched = new Map<string, { path: string; targets: WatchTarget[] }>();
  /** Secret name → the cancel of its pending debounce. */
  private readonly timers = new Map<string, () => void>();
  private readonly clock: Pick<WatchClock, "setTimer">;
  private closed = false;

  constructor(private readonly options: SecretFileWatcherOptions) {
    this.debounceMs = options.debounceMs ?? 50;
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.clock = options.clock ?? SYSTEM_WATCH_CLOCK;
  }

  /** Starts (or updates, when the path or its link target changed) the watch of a secret's file. */
  watch(name: string, path: string): void {
    if (this.closed) return;
    const previous = this.watched.get(name)?.targets ?? [];
    const next = targetsOf(path);
    const nextKeys = new Set(next.map(targetKey));
    const previousKeys = new Set(previous.map(targetKey));
    for (const target of next) if (!previousKeys.has(targetKey(target))) this.subscribe(name, target);
    for (const target of previous) if (!nextKeys.has(targetKey(target))) this.unsubscribe(name, target);
    this.watched.set(name, { path, targets: next });
  }

  unwatch(name: string): void {
    const entry = this.watched.get(name);
    if (!entry) return;
    for (const target of entry.targets) this.unsubscribe(name, target);
    this.watched.delete(name);
    this.timers.get(name)?.();
    this.timers.delete(name);
  }

  close(): void {
    this.closed = true;
    for (const name of [...this.watched.keys()]) this.unwatch(name);
  }

  private subscribe(name: string, target: WatchTarget): void {
    let directory = this.directories.get(target.directory);
    if (!directory) {
      try {
        directory = this.watchDirectory(target.directory);
      } catch {
        this.subscribePoll(name, join(target.directory, target.fileName));
        return;
      }
    }
    const names = directory.files.get(target.fileName) ?? new Set<string>();
    names.add(name);
    directory.files.set(target.fileName, names);
  }

  private unsubscribe(name: string, target: WatchTarget): void {
    const path = join(target.directory, target.fileName);
    const polled = this.polls.get(path);
    if (polled?.delete(name) && polled.size === 0) {
      this.polls.delete(path);
      unwatchFile(path);
    }
    const directory = this.directories.get(target.directory);
    const names = directory?.files.get(target.fileName);
    if (!directory || !names) return;
    names.delete(name);
    if (names.size === 0) directory.files.delete(target.fileName);
    if (directory.files.size === 0) {
      directory.watcher.close();
      this.directories.delete(target.directory);
    }
  }

  private watchDirectory(path: string): DirectoryWatch {
    const files = new Map<string, Set<string>>();
    const watcher = watch(path, { persistent: false }, (_event, changed) => {
      // Some platforms do not say which file changed: refresh everything in the directory.
      const names = changed === null ? [...files.values()] : [files.get(changed.toString())];
      for (const set of names) for (const name of set ?? []) this.schedule(name);
    });
    const directory = { watcher, files };
    watcher.on("error", () => {
      // The directory went away: drop this watch; each refresh re-subscribes (polling if needed).
      watcher.close();
      if (this.directories.get(path) === directory) this.directories.delete(path);
      for (const set of files.values()) {
        for (const name of set) {
          const entry = this.watched.get(name);
          if (entry) entry.targets = entry.targets.filter((target) => target.directory !== path);
          this.schedule(name);
        }
      }
    });
    this.directories.set(path, directory);
    return directory;
  }

  private subscribePoll(name: string, path: string): void {
    let names = this.polls.get(path);
    if (!names) {
      const polled = new Set<string>();
      names = polled;
      this.polls.set(path, polled);
      watchFile(path, { persistent: false, interval: this.pollIntervalMs }, () => {
        for (const polledName of polled) this.schedule(polledName);
      });
    }
    names.add(name);
  }

  private schedule(name: string): void {
    if (this.closed) return;
    this.timers.get(name)?.();
    const cancel = this.clock.setTimer(() => {
      this.timers.delete(name);
      const entry = this.watched.get(name);
      if (!entry || this.closed) return;
      // A rotation may have moved the link target; follow it before reading.
      this.watch(name, entry.path);
      this.options.onChange(name);
    }, this.debounceMs);
    this.timers.set(name, cancel);
  }
}
