import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { AgentSupervisor } from "../agents/index.js";
import { flushCompileCache } from "../agents/index.js";
import type { OpenClawConfig } from "../config/index.js";
import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import { logSinksOf } from "../logging/index.js";
import type { MemoryService, WorkspaceIndexer } from "../memory/index.js";
import { asStateWriteError, type StateDirHealth } from "../state-dir-health/index.js";
import type { GatewayCredentials } from "./gateway-credentials.js";
import { createGatewayMemory } from "./gateway-memory.js";
import type { GatewaySecurity } from "./gateway-security.js";
import type { AgentChanges } from "./held-config.js";
import type { GatewayPart } from "./lifecycle/part-group.js";
import { removeRuntimeState, runtimeStatePath, writeRuntimeState } from "./runtime-state.js";

/**
 * The agents' threads: started with the first config, following each new one (threads added,
 * rebuilt, ended), closed (threads ended) at stop. `changes()` is what the last apply did.
 */
export function agentsPart(
  supervisor: Pick<AgentSupervisor, "apply" | "close">,
  config: () => OpenClawConfig,
  configPath: string,
  /** Called once the agents' threads are on their way: work for this thread meanwhile. */
  whileStarting: () => unknown = () => undefined,
): GatewayPart & { changes(): AgentChanges } {
  let changes: AgentChanges = { added: [], changed: [], removed: [] };
  const follow = async (next: OpenClawConfig) => {
    changes = await supervisor.apply(next, configPath);
  };
  return {
    name: "agents",
    start: async () => {
      const started = follow(config());
      // The supervisor spawns the threads in the microtasks that follow; whileStarting's work
      // (module loading) waits on I/O first, so it runs alongside them.
      void Promise.resolve(whileStarting()).catch(() => undefined);
      await started;
    },
    apply: follow,
    stop: () => supervisor.close(),
    changes: () => changes,
  };
}

export interface GatewayMemory {
  service: MemoryService;
  indexer: WorkspaceIndexer;
}

/**
 * Per-agent memory and the watchers of each workspace's Markdown. Its folder must be one: a file
 * in its place would otherwise surface as every memory call failing, turn after turn.
 */
export function memoryPart(options: {
  stateDir: string;
  config: () => OpenClawConfig;
  credentials: GatewayCredentials;
  logger: Logger;
  workspaceRoots: () => Map<string, string>;
  set(memory: GatewayMemory | undefined): void;
}): GatewayPart & { index(): Promise<void> } {
  let memory: GatewayMemory | undefined;
  const index = async () => {
    if (!memory) return;
    for (const [agentId, root] of options.workspaceRoots()) {
      await memory.indexer.watch(agentId, root).catch((error: unknown) => {
        options.logger.warn({ agent: agentId, error: (error as Error).message }, "memory files not indexed");
      });
    }
  };
  return {
    name: "memory",
    index,
    // The agents (started before) may have new workspaces: watch and index those too.
    apply: index,
    start: async () => {
      if (!options.config().memory.enabled) return;
      const directory = join(options.stateDir, "memory");
      await mkdir(directory, { recursive: true, mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
        throw new OpenClawError(
          "OC_ERR_MEMORY",
          `memory cannot keep its stores in ${directory}: ${error.code ?? error.message}`,
          {
            hint: `make ${directory} a directory the gateway's user can write, or set memory.enabled to false`,
            details: { path: directory },
          },
        );
      });
      memory = await createGatewayMemory({
        config: options.config(),
        stateDir: options.stateDir,
        credentials: options.credentials,
        logger: options.logger,
      });
      options.set(memory);
      try {
        await index();
      } catch (error) {
        if (memory) await stopMemory(memory);
        throw error;
      }
    },
    stop: async () => {
      const current = memory;
      memory = undefined;
      options.set(undefined);
      if (current) await stopMemory(current);
    },
  };
}

/** The memory of a gateway that has it; OC_ERR_MEMORY when memory is off. */
export function memoryOrFail(memory: GatewayMemory | undefined): GatewayMemory {
  if (!memory) throw new OpenClawError("OC_ERR_MEMORY", "memory is off (memory.enabled is false)");
  return memory;
}

/** `openclaw memory repair`: rebuilds the store, then the workspace's files are watched into it again. */
export function repairAgentMemory(
  memory: GatewayMemory,
  agentId: string,
  workspaceRoot: string | undefined,
  options: { force?: boolean },
) {
  return memory.service.repair(agentId, {
    ...options,
    ...(workspaceRoot
      ? { reindexWorkspace: () => memory.indexer.watchAndCount(agentId, workspaceRoot) }
      : {}),
  });
}

/** The config file's watcher: a change is reloaded (or held, when it weakens the boundary). */
export function configWatchPart(control: { watch(): void; close(): void }): GatewayPart {
  return { name: "config-watch", start: async () => control.watch(), stop: async () => control.close() };
}

/** Transcript retention: a sweep at start, then hourly. */
export function retentionPart(retention: { start(): void; stop(): Promise<void> | void }): GatewayPart {
  return { name: "retention", start: async () => retention.start(), stop: async () => retention.stop() };
}

async function stopMemory(memory: GatewayMemory): Promise<void> {
  memory.indexer.close();
  await memory.service.close();
}

/** External secrets (their file watchers) and the auth boundary built on them. */
export function credentialsPart(
  credentials: GatewayCredentials,
  config: () => OpenClawConfig,
  openSecurity: () => Promise<void>,
): GatewayPart {
  return {
    name: "credentials",
    start: async () => {
      await credentials.apply(config());
      await openSecurity();
    },
    stop: async () => credentials.close(),
  };
}

/**
 * `<state>/gateway.json` and the local CLI's token, for `openclaw` commands on this host:
 * written once the gateway listens, removed at stop. Their writes are told to the state dir's
 * health; a full disk is OC_ERR_DISK_FULL.
 */
export function runtimeStatePart(options: {
  stateDir: string;
  health: StateDirHealth;
  security: () => GatewaySecurity;
  state: () => Parameters<typeof writeRuntimeState>[1];
}): GatewayPart {
  const path = runtimeStatePath(options.stateDir);
  const reported = async (write: Promise<void>) => {
    try {
      await write;
    } catch (error) {
      options.health.writeFailed("runtime-state", error, path);
      throw asStateWriteError(error, { stateDir: options.stateDir, path });
    }
    options.health.writeSucceeded("runtime-state");
  };
  return {
    name: "runtime-state",
    start: async () => {
      await options.security().writeLocalToken();
      await reported(writeRuntimeState(options.stateDir, options.state()));
      // Node writes this thread's compile cache only at a clean exit: a gateway that is killed
      // or crashes would compile everything again at its next start. Once written, it is quick.
      setImmediate(flushCompileCache);
    },
    // Removing a file needs no space; on a read-only state dir it fails, and stop goes on.
    stop: () => reported(removeRuntimeState(options.stateDir)).catch(() => undefined),
  };
}

/** What the gateway writes into gateway.json about its logs. */
export function logPathOf(logger: Logger): { logPath?: string } {
  const sinks = logSinksOf(logger);
  return sinks ? { logPath: sinks.file.path } : {};
}
