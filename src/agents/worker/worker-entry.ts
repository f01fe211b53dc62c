import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The compiled worker entry. Workers run JavaScript only, so when this module itself is loaded
 * from TypeScript sources (under the test runner) the entry comes from the build in `dist/`.
 */
export function workerEntryPath(): string {
  const here = new URL(import.meta.url);
  const compiled = fileURLToPath(new URL("./agent-worker-boot.js", here));
  if (existsSync(compiled)) return compiled;
  const fromSources = fileURLToPath(new URL("../../../dist/agents/worker/agent-worker-boot.js", here));
  if (existsSync(fromSources)) return fromSources;
  throw new Error(`agent worker entry not found at ${compiled} or ${fromSources}: run \`npm run build\``);
}
