import { rename, writeFile } from "node:fs/promises";

let replacements = 0;

/**
 * Writes a file the way an atomic writer does: a temporary file renamed over it. That raises
 * exactly one event for the file's name, where a plain write may raise one or two (truncate,
 * write) that arrive apart.
 */
export async function replaceFile(file: string, text: string): Promise<void> {
  const temporary = `${file}.${++replacements}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

/**
 * Waits for file events to reach a watcher. The bound only matters when the watcher is broken;
 * a passing run returns as soon as the condition holds, however loaded the machine is.
 */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
