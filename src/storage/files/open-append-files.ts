import { join } from "node:path";
import { AppendOnlyFile, type OpenAppendHandle } from "../../append-only/index.js";

/** Open append handles, most recently used last; a busy session does not reopen its file. */
const MAX_OPEN_FILES = 32;

export interface OpenAppendFilesOptions {
  open?: OpenAppendHandle;
  onRepaired?: (path: string, cutBytes: number) => void;
}

/**
 * The append-only files of one directory kept open between appends, the least recently used
 * closed beyond a bound: reopening per turn would cost two syscalls a turn, and an unbounded
 * set would run out of descriptors with the number of sessions.
 */
export class OpenAppendFiles {
  private readonly files = new Map<string, AppendOnlyFile>();

  constructor(
    private readonly directory: string,
    /** Resolves when the file's queued writes are done: an evicted file is closed after them. */
    private readonly idle: (fileName: string) => Promise<void>,
    private readonly options: OpenAppendFilesOptions = {},
  ) {}

  get(fileName: string): AppendOnlyFile {
    let file = this.files.get(fileName);
    if (file) {
      this.files.delete(fileName);
    } else {
      file = new AppendOnlyFile(join(this.directory, fileName), {
        mode: 0o600,
        ...(this.options.open ? { open: this.options.open } : {}),
        ...(this.options.onRepaired ? { onRepaired: this.options.onRepaired } : {}),
      });
      if (this.files.size >= MAX_OPEN_FILES) {
        const [oldestName, oldest] = this.files.entries().next().value as [string, AppendOnlyFile];
        this.files.delete(oldestName);
        void this.idle(oldestName).then(() => oldest.close());
      }
    }
    this.files.set(fileName, file);
    return file;
  }

  /** Closes the file's handle if open; the next append opens it afresh. */
  async forget(fileName: string): Promise<void> {
    const file = this.files.get(fileName);
    this.files.delete(fileName);
    await file?.close().catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    const files = [...this.files.values()];
    this.files.clear();
    await Promise.all(files.map((file) => file.close()));
  }
}
