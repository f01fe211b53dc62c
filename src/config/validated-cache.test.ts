import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenClawError } from "../errors.js";
import { loadConfigFile, parseConfigBytes } from "./load.js";
import { loadConfigFileCached, validatedConfigCachePath } from "./validated-cache.js";

let dir: string;
let stateDir: string;
let configPath: string;
let cachePath: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-validated-cache-"));
  stateDir = join(dir, "state");
  configPath = join(dir, "openclaw.json");
  cachePath = validatedConfigCachePath(stateDir);
  await mkdir(stateDir);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const VALID = `{
  // a comment, and an OpenClaw-only key that loads with a warning
  gateway: { port: 18790 },
  wizard: { lastRunAt: "2026-01-01" },
}`;

async function failureOf(load: () => Promise<unknown>): Promise<OpenClawError> {
  try {
    await load();
  } catch (error) {
    if (error instanceof OpenClawError) return error;
    throw error;
  }
  throw new Error("expected the config to be refused");
}

/** Rewrites the stored entry's config, keeping its key: only a cache hit can return the change. */
async function tamperStoredPort(port: number): Promise<void> {
  const entry = JSON.parse(await readFile(cachePath, "utf8"));
  entry.config.gateway.port = port;
  await writeFile(cachePath, JSON.stringify(entry));
}

describe("loadConfigFileCached", () => {
  it("answers as loadConfigFile does, then from the stored entry", async () => {
    await writeFile(configPath, VALID);
    const full = await loadConfigFile(configPath);
    const first = await loadConfigFileCached(configPath, stateDir, {});
    expect(first).toEqual(full);
    expect(first.warnings.length).toBeGreaterThan(0);
    expect(existsSync(cachePath)).toBe(true);

    await tamperStoredPort(1);
    const second = await loadConfigFileCached(configPath, stateDir, {});
    expect(second.config.gateway.port).toBe(1);
    expect({ ...second, config: full.config }).toEqual(full);
  });

  it("stores the built-in defaults for a missing file", async () => {
    const first = await loadConfigFileCached(configPath, stateDir, {});
    expect(first).toEqual(await loadConfigFile(configPath));
    await tamperStoredPort(2);
    const second = await loadConfigFileCached(configPath, stateDir, {});
    expect(second).toMatchObject({ exists: false, raw: undefined, warnings: [] });
    expect(second.config.gateway.port).toBe(2);
    expect(second.hash).toBeUndefined();
  });

  it("misses when the file changes, and refuses an invalid one with the loader's own error", async () => {
    await writeFile(configPath, VALID);
    await loadConfigFileCached(configPath, stateDir, {});
    const invalid = `{ gateway: { port: "not a port" } }`;
    await writeFile(configPath, invalid);
    const cached = await failureOf(() => loadConfigFileCached(configPath, stateDir, {}));
    const full = await failureOf(() => loadConfigFile(configPath));
    expect(cached.code).toBe("OC_ERR_CONFIG_INVALID");
    expect(cached.code).toBe(full.code);
    expect(cached.message).toBe(full.message);
    expect(cached.hint).toBe(full.hint);

    await writeFile(configPath, "{ gateway: ");
    const syntax = await failureOf(() => loadConfigFileCached(configPath, stateDir, {}));
    expect(syntax.code).toBe("OC_ERR_CONFIG_PARSE");
    expect(syntax.message).toBe((await failureOf(() => loadConfigFile(configPath))).message);
  });

  it("refuses an unreadable path as loadConfigFile does", async () => {
    await mkdir(configPath);
    const cached = await failureOf(() => loadConfigFileCached(configPath, stateDir, {}));
    const full = await failureOf(() => loadConfigFile(configPath));
    expect(cached.code).toBe("OC_ERR_CONFIG_READ");
    expect(cached.message).toBe(full.message);
  });

  it("ignores an empty, torn or foreign cache file and replaces it", async () => {
    await writeFile(configPath, VALID);
    const expected = await loadConfigFile(configPath);
    await loadConfigFileCached(configPath, stateDir, {});
    const stored = await readFile(cachePath, "utf8");
    const entry = JSON.parse(stored);
    const foreign = [
      "",
      stored.slice(0, stored.length / 2),
      "null",
      "[]",
      JSON.stringify({ ...entry, format: "something-else/1", config: { gateway: { port: 3 } } }),
      JSON.stringify({ ...entry, key: "0".repeat(64), config: { gateway: { port: 3 } } }),
      JSON.stringify({ ...entry, config: null }),
      JSON.stringify({ ...entry, warnings: "none" }),
    ];
    for (const content of foreign) {
      await writeFile(cachePath, content);
      expect(await loadConfigFileCached(configPath, stateDir, {}), content).toEqual(expected);
      expect(await readFile(cachePath, "utf8"), content).toBe(stored);
    }
  });

  it("keys on the referenced environment variables", async () => {
    await writeFile(configPath, `{ agents: { defaults: { workspace: "/srv/\${OC_CACHE_TEST_DIR}" } } }`);
    const first = await loadConfigFileCached(configPath, stateDir, { OC_CACHE_TEST_DIR: "one" });
    const second = await loadConfigFileCached(configPath, stateDir, { OC_CACHE_TEST_DIR: "two" });
    const unset = await loadConfigFileCached(configPath, stateDir, {});
    const bytes = await readFile(configPath);
    for (const [loaded, env] of [
      [first, { OC_CACHE_TEST_DIR: "one" }],
      [second, { OC_CACHE_TEST_DIR: "two" }],
      [unset, {}],
    ] as const) {
      expect(loaded).toEqual(parseConfigBytes(bytes, configPath, env));
    }
    expect(first.config).not.toEqual(second.config);
    expect(unset.warnings.map((warning) => warning.message).join("\n")).toContain("OC_CACHE_TEST_DIR");
    // And back to the first value: answered from the cache, with the first value's result.
    expect(await loadConfigFileCached(configPath, stateDir, { OC_CACHE_TEST_DIR: "one" })).toEqual(first);
  });

  it("never stores a config that holds a credential", async () => {
    await writeFile(
      configPath,
      `{ models: { providers: { openai: { apiKey: "sk-test-not-a-real-key" } } } }`,
    );
    const loaded = await loadConfigFileCached(configPath, stateDir, {});
    expect(loaded).toEqual(await loadConfigFile(configPath));
    expect(existsSync(cachePath)).toBe(false);
  });

  it("does not create a missing state dir", async () => {
    await writeFile(configPath, VALID);
    const missing = join(dir, "no-state");
    expect(await loadConfigFileCached(configPath, missing, {})).toEqual(await loadConfigFile(configPath));
    expect(existsSync(missing)).toBe(false);
  });

  it("still answers when the cache cannot be written", async () => {
    await writeFile(configPath, VALID);
    // A directory where the file should be: the rename fails, and so does every read of it.
    await mkdir(cachePath);
    const expected = await loadConfigFile(configPath);
    expect(await loadConfigFileCached(configPath, stateDir, {})).toEqual(expected);
    expect(await loadConfigFileCached(configPath, stateDir, {})).toEqual(expected);
  });
});
