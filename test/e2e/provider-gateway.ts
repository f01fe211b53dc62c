import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { FakeAnthropicServer } from "../../src/models/testing/fake-anthropic-server.js";
import type { FakeProviderServer } from "../../src/models/testing/fake-provider-server.js";
import { type RunningGateway, startGateway, type TempHome, tempHome } from "./harness.js";

export interface ProviderGatewaySetup {
  /** The fake provider's base URL, for `models.providers.anthropic.baseUrl`. */
  baseUrl: string;
  home: TempHome;
  /** Absolute path of a file written into the home by `files`. */
  path(name: string): string;
}

/**
 * A fake provider (Anthropic wanting `apiKey`, unless `server` gives another) and a gateway
 * configured against it, for one `describe`: `files` are written (0600) into the throwaway home,
 * then `config` (an object, used as the whole openclaw.json as given) decides how the gateway
 * uses them.
 */
export function useProviderGateway<Server extends FakeProviderServer = FakeAnthropicServer>(options: {
  apiKey?: string;
  server?: () => Server;
  files?: Record<string, string>;
  config: (setup: ProviderGatewaySetup) => unknown;
  prepare?: (setup: ProviderGatewaySetup) => Promise<void> | void;
  logLevel?: string;
}) {
  let home: TempHome | undefined;
  let gateway: RunningGateway | undefined;
  let provider: Server | undefined;
  beforeAll(async () => {
    provider =
      options.server?.() ?? (new FakeAnthropicServer({ apiKey: options.apiKey }) as unknown as Server);
    const { baseUrl } = await provider.start();
    const created = await tempHome();
    home = created;
    const setup = { baseUrl, home: created, path: (name: string) => join(created.dir, name) };
    for (const [name, content] of Object.entries(options.files ?? {})) {
      await writeFile(setup.path(name), content, { mode: 0o600 });
    }
    await options.prepare?.(setup);
    await writeFile(created.configPath, JSON.stringify(options.config(setup)));
    if (options.logLevel) created.env.OPENCLAW_LOG_LEVEL = options.logLevel;
    gateway = await startGateway(created);
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await provider?.close();
    await home?.cleanup();
  });
  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not started (used outside a test?)`);
    return value;
  };
  return {
    get gateway(): RunningGateway {
      return required(gateway, "the gateway");
    },
    get provider(): Server {
      return required(provider, "the provider");
    },
    get home(): TempHome {
      return required(home, "the gateway home");
    },
  };
}
