import { describe, expect, it } from "vitest";
import { defaultConfig, type LoadedConfig, type OpenClawConfig } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import { applyLoadedConfig } from "./config-apply.js";
import type { GatewayCredentials } from "./gateway-credentials.js";
import type { GatewaySecurity } from "./gateway-security.js";

function loadedWith(patch: (config: OpenClawConfig) => OpenClawConfig): LoadedConfig {
  return {
    config: patch(defaultConfig()),
    path: "/tmp/openclaw.json",
    exists: true,
    raw: undefined,
    warnings: [],
  };
}

/** Applies `next` over `previous` with parts that accept anything; answers the warnings logged. */
async function warningsOf(previous: LoadedConfig, next: LoadedConfig): Promise<string[]> {
  const warnings: string[] = [];
  const logger = {
    warn: (first: unknown, second?: unknown) =>
      warnings.push(String(typeof first === "string" ? first : second)),
    info: () => undefined,
  } as unknown as Logger;
  await applyLoadedConfig(
    {
      credentials: { apply: async () => undefined } as unknown as GatewayCredentials,
      security: () => ({ apply: async () => undefined }) as unknown as GatewaySecurity,
      followers: () => ({ apply: async () => undefined }),
      agentChanges: () => ({ added: [], changed: [], removed: [] }),
      logger,
      listenHost: () => "127.0.0.1",
      applyLogging: () => undefined,
    },
    next,
    previous,
    () => undefined,
  );
  return warnings;
}

describe("applyLoadedConfig", () => {
  it("says a restart is needed when storage changes, and keeps quiet when it does not", async () => {
    const sqlite = loadedWith((config) => config);
    const postgres = loadedWith((config) => ({
      ...config,
      storage: { ...config.storage, kind: "postgres", url: { $secret: "pg-url" } },
    }));
    expect(await warningsOf(sqlite, postgres)).toEqual([
      "storage changed: restart the gateway to use the new storage",
    ]);
    const bigger = loadedWith((config) => ({
      ...config,
      storage: { ...config.storage, kind: "postgres", url: { $secret: "pg-url" }, poolSize: 20 },
    }));
    expect(await warningsOf(postgres, bigger)).toEqual([
      "storage changed: restart the gateway to use the new storage",
    ]);
    expect(
      await warningsOf(
        postgres,
        loadedWith((config) => ({ ...config, storage: postgres.config.storage })),
      ),
    ).toEqual([]);
  });
});
