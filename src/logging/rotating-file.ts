import {
  chmodSync,
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
} from "node:fs";
import { dirname } from "node:path";
import { pino } from "pino";

export interface RotationLimits {
  /** The active file is rotated once it would grow past this. */
  maxBytes: number;
  /** Rotated files kept (`gateway.log.1` is the newest); older ones are deleted. */
  maxFiles: number;
}

export const DEFAULT_ROTATION: RotationLimits = { maxBytes: 10 * 1024 * 1024, maxFiles: 5 };

/** `gateway.log`, `gateway.log.1`, … : the names of a log's files, newest first. */
export function rotatedPaths(path: string, maxFiles: number): string[] {
  return [path, ...Array.from({ length: maxFiles }, (_, index) => `${path}.${index + 1}`)];
}

/**
 * A size-rotated log file written through pino's asynchronous destination. The gateway is the
 * only writer, so rotation is a rename chain and a reopen, with no lock: readers (`openclaw logs
 * --follow`) notice the new file by its inode. The reopen is SonicBoom's own, made for rotation:
 * a write in flight lands in the renamed file, what is still buffered goes to the new one, so
 * lines keep their order across the two.
 */
export class RotatingFile {
  private readonly destination: ReturnType<typeof pino.destination>;
  private size = 0;
  private limits: RotationLimits;

  constructor(
    readonly path: string,
    limits: RotationLimits = DEFAULT_ROTATION,
  ) {
    this.limits = limits;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.touch();
    this.destination = pino.destination({ dest: path, sync: false, mode: 0o600 });
  }

  /** Creates the file now (so it exists, and can be rotated, from the first line on), mode 0600. */
  private touch(): void {
    const fd = openSync(this.path, "a", 0o600);
    try {
      this.size = fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
    // A file created before this build may carry a looser mode; logs hold session metadata.
    chmodSync(this.path, 0o600);
  }

  setLimits(limits: RotationLimits): void {
    this.limits = limits;
  }

  write(line: string): boolean {
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.limits.maxBytes) this.rotate();
    this.size += bytes;
    return this.destination.write(line);
  }

  /** Writes out what is buffered, when nothing is in flight (at exit); never throws. */
  flushSync(): void {
    try {
      this.destination.flushSync();
    } catch {
      // Not open yet, or a write in flight: SonicBoom finishes it on its own.
    }
  }

  end(): void {
    this.flushSync();
    this.destination.end();
  }

  private rotate(): void {
    const paths = rotatedPaths(this.path, this.limits.maxFiles);
    if (this.limits.maxFiles === 0) {
      unlinkSync(this.path);
    } else {
      const oldest = paths.at(-1) as string;
      if (existsSync(oldest)) unlinkSync(oldest);
      for (let index = paths.length - 2; index >= 0; index--) {
        const from = paths[index] as string;
        if (existsSync(from)) renameSync(from, paths[index + 1] as string);
      }
    }
    this.touch();
    this.destination.reopen();
  }
}
