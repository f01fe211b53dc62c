import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { type RunningGateway, startGateway, type TempHome, waitFor, withTestAuth } from "./harness.js";

/** A gateway process a channel test runs on one home, beside the fakes it talks to. */
export interface ChannelGatewayProcess {
  readonly gateway: RunningGateway;
  /** Starts the gateway again on the same home (after `gateway.stop()`). */
  restart(): Promise<RunningGateway>;
  /** Stops the gateway, then the fakes, then removes the home. */
  stop(): Promise<void>;
}

/**
 * Starts the gateway on `home` until its channels are ready, and gives `fixtures` (the fakes the
 * test reads) the process's `gateway`, `restart` and `stop`. `stopFixtures` closes the fakes.
 */
export async function startChannelGateway<T extends object>(
  home: TempHome,
  fixtures: T,
  options: {
    stopFixtures: () => Promise<void>;
    /** Whether `restart` waits for the channels to be ready again (not for a restart into degraded). */
    restartWaitsForChannel: boolean;
  },
): Promise<T & ChannelGatewayProcess> {
  let gateway = await startGateway(home);
  await waitForChannel(gateway);
  const process: ChannelGatewayProcess = {
    get gateway() {
      return gateway;
    },
    async restart() {
      gateway = await startGateway(home);
      if (options.restartWaitsForChannel) await waitForChannel(gateway);
      return gateway;
    },
    async stop() {
      await gateway.stop().catch(() => undefined);
      await options.stopFixtures();
      await home.cleanup();
    },
  };
  // Descriptors, not a spread: a spread would copy `gateway` once and miss every restart.
  return Object.defineProperties(fixtures, Object.getOwnPropertyDescriptors(process)) as T &
    ChannelGatewayProcess;
}

/** Writes `config` as the home's config file, with the test harness's gateway auth. */
export async function writeGatewayConfig(home: TempHome, config: Record<string, unknown>): Promise<void> {
  await writeFile(home.configPath, JSON.stringify(withTestAuth(config)));
}

/** The config keys that run the `main` agent on the fake OpenAI provider at `baseUrl`. */
export function agentOnFakeOpenAI(baseUrl: string): Record<string, unknown> {
  return {
    models: { providers: { openai: { baseUrl, apiKey: "sk-test" } } },
    agents: { main: { model: "openai/gpt-4o-mini" } },
  };
}

export async function waitForChannel(gateway: RunningGateway, state = "ready"): Promise<void> {
  await waitFor(async () => {
    const response = await fetch(`${gateway.url}/__openclaw__/channels`, { headers: gateway.headers });
    const { channels } = (await response.json()) as { channels: { state: string }[] };
    return channels.length > 0 && channels.every((channel) => channel.state === state);
  }, 15_000);
}

/** A loopback port free right now, for a listener the gateway opens itself (webhooks). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
