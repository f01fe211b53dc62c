import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./harness.js";

const BUNDLE = join(REPO_ROOT, "dist/bundle");

describe("the bundle openclaw runs (scripts/bundle.mjs)", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("gives every module back its own location: each rewritten import.meta.url names a file tsc wrote", async () => {
    const chunks = (await readdir(BUNDLE)).filter((name) => name.endsWith(".js"));
    expect(chunks).toContain("main.js");
    expect(chunks).toContain("agent-worker-boot.js");
    const own = /new URL\("(\.\.\/[^"]+)", import\.meta\.url\)\.href/g;
    const bare = /import\.meta\.url/g;
    let rewritten = 0;
    for (const name of chunks) {
      const code = await readFile(join(BUNDLE, name), "utf8");
      for (const match of code.matchAll(own)) {
        rewritten++;
        const target = fileURLToPath(new URL(match[1] as string, pathToFileURL(join(BUNDLE, name))));
        expect(existsSync(target), `${name}: ${match[1]}`).toBe(true);
      }
      // The only bare import.meta.url left: entry-points' own, and the bundler's createRequire
      // for packages' require() (resolved from dist/bundle/, which finds the same node_modules).
      const bareCount = [...code.matchAll(bare)].length;
      const ownCount = [...code.matchAll(own)].length;
      const entryPoints = code.includes('const here = new URL(".", import.meta.url)') ? 1 : 0;
      const requires = [...code.matchAll(/createRequire\(import\.meta\.url\)/g)].length;
      expect(
        bareCount - ownCount - entryPoints - requires,
        `${name}: a bundle-relative import.meta.url`,
      ).toBe(0);
    }
    expect(rewritten).toBeGreaterThan(5);
  });

  it("imports node:http and node:https without their ES facade (which would load undici)", async () => {
    for (const name of (await readdir(BUNDLE)).filter((entry) => entry.endsWith(".js"))) {
      const code = await readFile(join(BUNDLE, name), "utf8");
      expect(code, name).not.toMatch(/from "node:https?"/);
    }
  });

  it("the launcher runs the bundle only while it is not older than tsc's last output", async () => {
    const root = await mkdtemp(join(tmpdir(), "cli-entry-"));
    dirs.push(root);
    await mkdir(join(root, "bin"));
    await mkdir(join(root, "dist/bundle"), { recursive: true });
    await copyFile(join(REPO_ROOT, "bin/cli-entry.mjs"), join(root, "bin/cli-entry.mjs"));
    const { cliEntry } = (await import(pathToFileURL(join(root, "bin/cli-entry.mjs")).href)) as {
      cliEntry(): string;
    };
    const bundled = join(root, "dist/bundle/main.js");
    const modular = join(root, "dist/cli/main.js");
    const buildInfo = join(root, "dist/.tsbuildinfo");
    // No bundle: tsc's modules.
    expect(cliEntry()).toBe(modular);
    await writeFile(bundled, "");
    // A bundle and no build info (an installed package): the bundle.
    expect(cliEntry()).toBe(bundled);
    await writeFile(buildInfo, "");
    await utimes(buildInfo, new Date(2_000_000_000_000), new Date(2_000_000_000_000));
    await utimes(bundled, new Date(1_000_000_000_000), new Date(1_000_000_000_000));
    // tsc ran after the bundle was made: the bundle is stale.
    expect(cliEntry()).toBe(modular);
    await utimes(bundled, new Date(2_000_000_000_000), new Date(2_000_000_000_000));
    expect(cliEntry()).toBe(bundled);
  });
});
