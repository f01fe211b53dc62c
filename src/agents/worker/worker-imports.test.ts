import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const IMPORT = /(?:import|export)\s[^"']*?from\s+["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g;

/** Every module of ours the worker entry loads, following relative imports (static and dynamic). */
function importGraph(entry: string): string[] {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const specifier = (match[1] ?? match[2]) as string;
      pending.push(join(dirname(file), specifier).replace(/\.js$/, ".ts"));
    }
  }
  return [...seen].map((file) => relative(SRC, file));
}

describe("the agent worker's imports", () => {
  it("never reach the gateway, auth, secrets or CLI modules", () => {
    const modules = importGraph(join(SRC, "agents/worker/agent-worker.ts"));
    expect(modules).toContain("agents/agent-runtime.ts");
    expect(modules.filter((module) => /^(gateway|auth|secrets|cli)\//.test(module))).toEqual([]);
  });
});
