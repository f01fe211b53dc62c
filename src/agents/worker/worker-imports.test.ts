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

/**
 * The specifiers a module loads as it is evaluated: static imports and re-exports that are not
 * type-only. `import()` is left out: it loads on first use, which is what the test below wants.
 */
function staticImports(source: string): string[] {
  const file = ts.createSourceFile("module.ts", source, ts.ScriptTarget.Latest);
  const specifiers: string[] = [];
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) {
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly) {
      specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return specifiers;
}

/** Our modules (relative to src/) and the packages (not node: built-ins) a worker loads at start. */
function loadedAtStart(entry: string): { modules: string[]; packages: string[] } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of staticImports(readFileSync(file, "utf8"))) {
      if (specifier.startsWith(".")) pending.push(join(dirname(file), specifier).replace(/\.js$/, ".ts"));
      else if (!specifier.startsWith("node:")) packages.add(specifier);
    }
  }
  // agent-worker-boot imports the worker itself with import(), as its last step.
  if (entry.endsWith("agent-worker-boot.ts")) {
    const worker = loadedAtStart(join(dirname(entry), "agent-worker.ts"));
    for (const name of worker.packages) packages.add(name);
    for (const file of worker.modules) seen.add(join(SRC, file));
  }
  return { modules: [...seen].map((file) => relative(SRC, file)).sort(), packages: [...packages].sort() };
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
    const modules = importGraph(join(SRC, "agents/worker/agent-worker-boot.ts"));
    expect(modules).toContain("agents/agent-runtime.ts");
    expect(modules.filter((module) => /^(gateway|auth|secrets|cli)\//.test(module))).toEqual([]);
  });

  it("load no package before the first turn: the model SDKs and zod wait for first use", () => {
    // A dev-model agent never needs `ai` or `@ai-sdk/*`; tools do not validate with zod. Each
    // package loaded here is paid by every idle thread-bound agent (bench/footprint).
    expect(loadedAtStart(join(SRC, "agents/worker/agent-worker-boot.ts")).packages).toEqual([]);
  });

  it("load no tool before the first turn: the toolbox is built when a turn needs it", () => {
    const { modules } = loadedAtStart(join(SRC, "agents/worker/agent-worker-boot.ts"));
    expect(modules).toContain("agents/agent-runtime.ts");
    expect(modules.filter((module) => /^(tools|confinement)\/|agents\/agent-toolbox/.test(module))).toEqual(
      [],
    );
  });

  it("tell a static import from an import() and a type-only one", () => {
    const source = [
      'import { z } from "zod";',
      'import type { LanguageModel } from "ai";',
      'export { a } from "./a.js";',
      'export type { B } from "./b.js";',
      'const sdk = await import("@ai-sdk/openai");',
    ].join("\n");
    expect(staticImports(source)).toEqual(["zod", "./a.js"]);
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
