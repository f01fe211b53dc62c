import { describe, expect, it } from "vitest";
import { importGraph, relativeImports, staticGraph, staticImports } from "../../testing/import-graph.js";

/** What a worker loads at start: agent-worker-boot imports the worker itself with import(), last. */
function loadedAtStart(): { modules: string[]; packages: string[] } {
  const boot = staticGraph("agents/worker/agent-worker-boot.ts");
  const worker = staticGraph("agents/worker/agent-worker.ts");
  return {
    modules: [...new Set([...boot.modules, ...worker.modules])].sort(),
    packages: [...new Set([...boot.packages, ...worker.packages])].sort(),
  };
}

describe("the agent worker's imports", () => {
  it("never reach the gateway, auth, secrets or CLI modules", () => {
    const modules = importGraph("agents/worker/agent-worker-boot.ts");
    expect(modules).toContain("agents/agent-runtime.ts");
    expect(modules.filter((module) => /^(gateway|auth|secrets|cli)\//.test(module))).toEqual([]);
  });

  it("load no package before the first turn: the model SDKs and zod wait for first use", () => {
    // A dev-model agent never needs `ai` or `@ai-sdk/*`; tools do not validate with zod. Each
    // package loaded here is paid by every idle thread-bound agent (bench/footprint).
    expect(loadedAtStart().packages).toEqual([]);
  });

  it("load no tool before the first turn: the toolbox is built when a turn needs it", () => {
    const { modules } = loadedAtStart();
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
