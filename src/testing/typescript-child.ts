import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Node strips (and transforms) the types of the sources; this maps their `.js` import
 * specifiers to the `.ts` files beside them, so a child runs the code under test unbuilt.
 */
const RESOLVE_TS = `import { registerHooks } from "node:module";
registerHooks({
  resolve(specifier, context, next) {
    try { return next(specifier, context); } catch (error) {
      if (!specifier.endsWith(".js")) throw error;
      return next(specifier.slice(0, -3) + ".ts", context);
    }
  },
});
`;

/** `import(<file>)` of a TypeScript source, for a child script's body. */
export function importSource(path: string): string {
  return `await import(${JSON.stringify(pathToFileURL(path).href)})`;
}

/**
 * Runs `body` (an ES module: top-level await, `importSource` for the code under test) in a
 * child Node process, for what a test cannot do in its own: die by SIGKILL, or meet an uncaught
 * exception that vitest's own handlers would otherwise see.
 */
export async function runTypeScriptChild(body: string, args: readonly string[] = []): Promise<ChildResult> {
  const directory = await mkdtemp(join(tmpdir(), "openclaw-child-"));
  const script = join(directory, "child.mjs");
  await writeFile(script, `${RESOLVE_TS}${body}`);
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [
        "--no-warnings",
        "--experimental-transform-types",
        script,
        ...args,
      ]);
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
      });
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      child.on("error", reject);
      child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
