import type { Logger } from "../logging/index.js";
import type { StateDirHealth } from "../state-dir-health/index.js";
import { createFileStorage, type Storage } from "../storage/index.js";
import type { GatewayOptions } from "./gateway-options.js";
import { logRepairedTail } from "./state-dir-log.js";

/**
 * The gateway's storage: the one its caller opened (`openStorage`, for PostgreSQL: connecting
 * and migrating are async, the constructor cannot wait), else the state dir's files.
 */
export function gatewayStorage(options: GatewayOptions, health: StateDirHealth, logger: Logger): Storage {
  return (
    options.storage ??
    createFileStorage(options.stateDir, {
      health,
      onRepaired: (path, cutBytes) => logRepairedTail(logger, path, cutBytes),
      onEmptyNodesFile: (message) => logger.warn(message),
    })
  );
}
