import { open, unlink } from "node:fs/promises";
import { join } from "node:path";

/**
 * A block's worth of bytes: enough that the filesystem must find room for new data (a one-byte
 * file can fit in space a real write would not find), small enough to cost nothing.
 */
const PROBE_BYTES = 4096;

/** The probe's file: hidden, per process, so two gateways' probes never meet. */
export function probePath(stateDir: string): string {
  return join(stateDir, `.write-probe-${process.pid}`);
}

/**
 * Writes a small file, syncs it and removes it: resolves when the state dir takes new data
 * again, rejects with the filesystem's error while it does not. The fsync matters on
 * filesystems that accept a write into the page cache and refuse it only on writeback.
 */
export async function probeStateDirWrite(stateDir: string): Promise<void> {
  const path = probePath(stateDir);
  try {
    const handle = await open(path, "w", 0o600);
    try {
      await handle.write(Buffer.alloc(PROBE_BYTES, 0x2e));
      await handle.sync();
    } finally {
      await handle.close();
    }
  } finally {
    // Also after a failure: an empty file may have been created before the write was refused.
    await unlink(path).catch(() => undefined);
  }
}
