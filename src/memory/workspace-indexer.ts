import { type FSWatcher, watch } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Logger } from "../logging/index.js";

const DEBOUNCE_MS = 200;
const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Keeps an agent's MEMORY.md and memory/*.md indexed in its memory store: read once when the
 * agent starts, again whenever one changes (written, replaced, removed).
 */
export class WorkspaceIndexer {
  private readonly watchers = new Map<string, FSWatcher[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly index: (agentId: string, path: string, text: string) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  async watch(agentId: string, root: string): Promise<void> {
    await this.watchAndCount(agentId, root);
  }

  /** `watch`, resolving with how many memory files had text (what a repair reports). */
  async watchAndCount(agentId: string, root: string): Promise<number> {
    this.unwatch(agentId);
    const watchers: FSWatcher[] = [];
    this.watchers.set(agentId, watchers);
    const memoryDir = join(root, "memory");
    let memoryWatcher: FSWatcher | undefined;
    const watchMemoryDir = () => {
      if (memoryWatcher) return;
      try {
        memoryWatcher = watch(memoryDir, (_event, name) => {
          if (name?.endsWith(".md")) this.schedule(agentId, root, join(memoryDir, name));
        });
        memoryWatcher.on("error", () => {
          memoryWatcher?.close();
          memoryWatcher = undefined;
        });
        watchers.push(memoryWatcher);
      } catch {
        // memory/ does not exist yet: the root's watcher attaches this one when it appears.
      }
    };
    try {
      watchers.push(
        watch(root, (_event, name) => {
          if (name === "MEMORY.md") this.schedule(agentId, root, join(root, name));
          if (name === "memory") {
            watchMemoryDir();
            void this.files(root).then((files) => {
              for (const file of files)
                if (file !== join(root, "MEMORY.md")) this.schedule(agentId, root, file);
            });
          }
        }),
      );
    } catch (error) {
      this.logger.warn(
        { agent: agentId, error: (error as Error).message },
        "workspace not watched for memory files",
      );
    }
    watchMemoryDir();
    return this.indexAll(agentId, root);
  }

  /** Indexes every memory file of the workspace once (no watching); resolves with how many had text. */
  async indexAll(agentId: string, root: string): Promise<number> {
    let indexed = 0;
    for (const file of await this.files(root)) if (await this.reindex(agentId, root, file)) indexed += 1;
    return indexed;
  }

  unwatch(agentId: string): void {
    for (const watcher of this.watchers.get(agentId) ?? []) watcher.close();
    this.watchers.delete(agentId);
  }

  close(): void {
    for (const agentId of [...this.watchers.keys()]) this.unwatch(agentId);
    for (const timer of this.timers.values()) clearTimeout(timer);
  }

  private async files(root: string): Promise<string[]> {
    const found = [join(root, "MEMORY.md")];
    const entries = await readdir(join(root, "memory")).catch(() => [] as string[]);
    for (const name of entries) if (name.endsWith(".md")) found.push(join(root, "memory", name));
    return found;
  }

  private schedule(agentId: string, root: string, file: string): void {
    clearTimeout(this.timers.get(file));
    this.timers.set(
      file,
      setTimeout(() => {
        this.timers.delete(file);
        void this.reindex(agentId, root, file);
      }, DEBOUNCE_MS),
    );
  }

  private async reindex(agentId: string, root: string, file: string): Promise<boolean> {
    const path = relative(root, file);
    try {
      const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return "";
        throw error;
      });
      if (Buffer.byteLength(text) > MAX_FILE_BYTES) {
        this.logger.warn({ agent: agentId, file: path }, "memory file over 1 MiB: not indexed");
        return false;
      }
      await this.index(agentId, path, text);
      return text.trim() !== "";
    } catch (error) {
      this.logger.warn(
        { agent: agentId, file: path, error: (error as Error).message },
        "memory file not indexed",
      );
      return false;
    }
  }
}
