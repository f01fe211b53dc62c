import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/**
 * The relative module specifiers of a source file, read by TypeScript's own scanner: static,
 * dynamic, re-exports and side-effect imports (`import "./x.js"`), whatever their layout.
 */
function relativeImports(source: string): string[] {
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.map((file) => file.fileName)
    .filter((specifier) => specifier.startsWith("."));
}

/** Every module of ours the worker entry loads, following relative imports. */
function importGraph(entry: string): string[] {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of relativeImports(readFileSync(file, "utf8"))) {
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

  it("sees every form of import, a side-effect one included", () => {
    const source = [
      'import "../secrets/side-effect.js";',
      'import type { A } from "./a.js";',
      "import {\n  b,\n} from './b.js';",
      'export * from "./c.js";',
      'const d = await import("./d.js");',
      'import e from "node:fs";',
    ].join("\n");
    expect(relativeImports(source).sort()).toEqual([
      "../secrets/side-effect.js",
      "./a.js",
      "./b.js",
      "./c.js",
      "./d.js",
    ]);
  });
});
