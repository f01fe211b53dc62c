import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const HERE = import.meta.dirname;
const IMPORT = /(?:import|export)\s[^"']*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

describe("src/confinement", () => {
  it("is a leaf: node built-ins, its own files and ../errors.js only (workers and MCP launches use it)", () => {
    const foreign: string[] = [];
    for (const file of readdirSync(HERE).filter(
      (name) => name.endsWith(".ts") && !name.endsWith(".test.ts"),
    )) {
      for (const match of readFileSync(join(HERE, file), "utf8").matchAll(IMPORT)) {
        const specifier = (match[1] ?? match[2]) as string;
        const allowed =
          specifier.startsWith("node:") ||
          (specifier.startsWith("./") && !specifier.slice(2).includes("/")) ||
          specifier === "../errors.js";
        if (!allowed) foreign.push(`${file}: ${specifier}`);
      }
    }
    expect(foreign).toEqual([]);
  });
});
