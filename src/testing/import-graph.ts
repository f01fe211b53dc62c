import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** src/, which the module paths these helpers return are relative to. */
export const SRC = resolve(fileURLToPath(new URL("..", import.meta.url)));

/**
 * The relative module specifiers of a source file, read by TypeScript's own scanner: static,
 * dynamic, re-exports and side-effect imports (`import "./x.js"`), whatever their layout.
 */
export function relativeImports(source: string): string[] {
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.map((file) => file.fileName)
    .filter((specifier) => specifier.startsWith("."));
}

/**
 * The specifiers a module loads as it is evaluated: static imports and re-exports that are not
 * type-only. `import()` is left out: it loads on first use. Under verbatimModuleSyntax an import
 * whose bindings are all `type` ones still loads its module, so only `import type` is skipped.
 */
export function staticImports(source: string): string[] {
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

/**
 * Our modules (relative to src/) and the packages (not node: built-ins) that evaluating `entries`
 * loads: their static imports, followed through our modules.
 */
export function staticGraph(...entries: string[]): { modules: string[]; packages: string[] } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const pending = entries.map((entry) => join(SRC, entry));
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of staticImports(readFileSync(file, "utf8"))) {
      if (specifier.startsWith(".")) pending.push(join(dirname(file), specifier).replace(/\.js$/, ".ts"));
      else if (!specifier.startsWith("node:")) packages.add(specifier);
    }
  }
  return { modules: [...seen].map((file) => relative(SRC, file)).sort(), packages: [...packages].sort() };
}

/** Every module of ours `entry` can load, static or dynamic, following relative imports. */
export function importGraph(entry: string): string[] {
  const seen = new Set<string>();
  const pending = [join(SRC, entry)];
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
