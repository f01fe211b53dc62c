import module from "node:module";
import { basename, dirname } from "node:path";

/**
 * The directory that was given to enableCompileCache on this process's main thread (by
 * bin/openclaw.mjs or NODE_COMPILE_CACHE), for the agent threads to use too; undefined when the
 * cache is off. Node reports the per-version subdirectory it keys entries by
 * (`v24.21.0-x64-…`): handing that on would nest a second one inside it.
 */
export function processCompileCacheDir(): string | undefined {
  const directory = module.getCompileCacheDir?.();
  if (!directory) return undefined;
  return /^v\d+\./.test(basename(directory)) ? dirname(directory) : directory;
}

/**
 * Writes what this thread compiled since the cache was enabled. Node writes it only when the
 * thread exits, and a worker that the gateway terminates (an agent stopped, the gateway shut
 * down) may never get there: its next start would compile again.
 */
export function flushCompileCache(): void {
  try {
    module.flushCompileCache?.();
  } catch {}
}
