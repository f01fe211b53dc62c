import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * The OpenClaw clients the compatibility suite drives, pinned exactly: their `latest` tags are
 * empty placeholders, and a result is only worth recording for a known version. Node 26 comes as
 * an npm package because the published CLI needs a newer Node than many machines have.
 */
export const NODE_PACKAGE = `node-${process.platform}-${process.arch}`;
export const PINNED = {
  openclaw: "2026.9.6",
  "@openclaw/gateway-client": "2026.9.1",
  [NODE_PACKAGE]: "26.10.0",
} as const;

/** Outside the repo, shared by runs and checkouts: `OPENCLAW_COMPAT_CACHE` or ~/.cache/openclaw-compat. */
export const COMPAT_CACHE = process.env.OPENCLAW_COMPAT_CACHE ?? join(homedir(), ".cache", "openclaw-compat");

export interface CompatTools {
  cache: string;
  /** The Node binary the OpenClaw CLI runs on. */
  node: string;
  /** The CLI's entry script. */
  openclaw: string;
  /** Resolves a package as installed in the cache (the reference client and its dependencies). */
  resolve: (specifier: string) => string;
  versions: Record<string, string>;
  /** How long making the cache ready took, and whether it had to install. */
  setup: { installed: boolean; durationMs: number };
}

function installedVersion(name: string): string | undefined {
  try {
    const manifest = JSON.parse(
      readFileSync(join(COMPAT_CACHE, "node_modules", name, "package.json"), "utf8"),
    );
    return typeof manifest.version === "string" ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

function missingPackages(): string[] {
  return Object.entries(PINNED)
    .filter(([name, version]) => installedVersion(name) !== version)
    .map(([name, version]) => `${name}@${version}`);
}

/**
 * Makes the cache hold the pinned clients, installing only when one is absent or another version.
 * `--ignore-scripts`: the CLI's postinstall steps fetch optional extras the suite does not need.
 */
export function ensureCompatTools(): CompatTools {
  const startedAt = performance.now();
  const missing = missingPackages();
  if (missing.length > 0) {
    mkdirSync(COMPAT_CACHE, { recursive: true });
    process.stdout.write(`compat: installing ${missing.join(" ")} into ${COMPAT_CACHE}\n`);
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const specs = Object.entries(PINNED).map(([name, version]) => `${name}@${version}`);
    const result = spawnSync(
      npm,
      [
        "install",
        "--prefix",
        COMPAT_CACHE,
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
        "--save-exact",
        ...specs,
      ],
      { stdio: ["ignore", "inherit", "inherit"], timeout: 10 * 60_000 },
    );
    const stillMissing = missingPackages();
    if (result.status !== 0 || stillMissing.length > 0) {
      throw new Error(
        `compat: could not install ${stillMissing.join(" ") || missing.join(" ")} into ${COMPAT_CACHE} ` +
          `(npm exited ${result.status ?? result.signal}); check network access to the npm registry`,
      );
    }
  }
  const node = join(COMPAT_CACHE, "node_modules", NODE_PACKAGE, "bin", "node");
  const openclaw = join(COMPAT_CACHE, "node_modules", "openclaw", "openclaw.mjs");
  for (const path of [node, openclaw]) {
    if (!existsSync(path))
      throw new Error(`compat: ${path} is missing from the cache; delete ${COMPAT_CACHE} and rerun`);
  }
  const require = createRequire(join(COMPAT_CACHE, "package.json"));
  return {
    cache: COMPAT_CACHE,
    node,
    openclaw,
    resolve: (specifier) => require.resolve(specifier),
    versions: Object.fromEntries(Object.keys(PINNED).map((name) => [name, installedVersion(name) ?? "?"])),
    setup: { installed: missing.length > 0, durationMs: Math.round(performance.now() - startedAt) },
  };
}
