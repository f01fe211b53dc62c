import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

// scripts/bundle.mjs rewrites every other module's `import.meta.url` to the file tsc wrote for it
// and leaves this one's alone, so here it is where the code really runs from: dist/ (tsc's
// output run as is), dist/bundle/ (the bundle `openclaw` runs), or src/ under a TypeScript runner.
const here = new URL(".", import.meta.url);
const bundled = here.pathname.endsWith("/bundle/");

/** Whether this process runs the bundle (dist/bundle/) rather than tsc's modules. */
export function runsBundled(): boolean {
  return bundled;
}

/** The CLI's entry script of the build this code belongs to: what a detached gateway runs. */
export function cliMainPath(): string {
  return fileURLToPath(new URL(bundled ? "./main.js" : "./cli/main.js", here));
}

/**
 * The agent worker's entry script. Workers run JavaScript only: loaded from TypeScript sources
 * (under the test runner), the entry comes from the build in dist/.
 */
export function agentWorkerBootPath(): string {
  if (bundled) return fileURLToPath(new URL("./agent-worker-boot.js", here));
  const compiled = fileURLToPath(new URL("./agents/worker/agent-worker-boot.js", here));
  if (existsSync(compiled)) return compiled;
  const fromSources = fileURLToPath(new URL("../dist/agents/worker/agent-worker-boot.js", here));
  if (existsSync(fromSources)) return fromSources;
  throw new Error(`agent worker entry not found at ${compiled} or ${fromSources}: run \`npm run build\``);
}
