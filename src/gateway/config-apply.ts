import { isDeepStrictEqual } from "node:util";
import type { LoadedConfig, OpenClawConfig } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import type { GatewayCredentials } from "./gateway-credentials.js";
import type { GatewaySecurity } from "./gateway-security.js";
import type { AgentChanges } from "./held-config.js";
import type { PartGroup } from "./lifecycle/part-group.js";

/**
 * Puts a new config in force, in the order that keeps the gateway usable: admission first, by
 * the credentials and the auth boundary (a config that would lock everyone out is refused here,
 * and the previous credentials restored); then it becomes the running config; then logging and
 * every running part (agents, then memory's watchers, and whatever part comes next) follow it.
 */
export async function applyLoadedConfig(
  parts: {
    credentials: GatewayCredentials;
    security(): GatewaySecurity;
    /** The running parts, in start order; undefined before start (start reads the config itself). */
    followers(): Pick<PartGroup, "apply"> | undefined;
    /** What the followers' apply did to the agents. */
    agentChanges(): AgentChanges;
    logger: Logger;
    listenHost(): string;
    applyLogging(config: OpenClawConfig): void;
  },
  loaded: LoadedConfig,
  previous: LoadedConfig | undefined,
  commit: () => void,
): Promise<AgentChanges> {
  try {
    await parts.credentials.apply(loaded.config);
    await parts.security().apply(loaded.config, parts.listenHost());
  } catch (error) {
    if (previous) await parts.credentials.apply(previous.config).catch(() => undefined);
    throw error;
  }
  commit();
  parts.applyLogging(loaded.config);
  const before = previous?.config.gateway;
  const after = loaded.config.gateway;
  if (before && (before.host !== after.host || before.port !== after.port)) {
    parts.logger.warn(
      "gateway.host / gateway.port changed: restart the gateway to listen on the new address",
    );
  }
  if (previous && !isDeepStrictEqual(previous.config.storage, loaded.config.storage)) {
    // The stores are built on the storage opened at start: switching backends live would split
    // the state between two places.
    parts.logger.warn("storage changed: restart the gateway to use the new storage");
  }
  await parts.followers()?.apply(loaded.config);
  const changes = parts.agentChanges();
  parts.logger.info(changes, "config reloaded");
  return changes;
}
