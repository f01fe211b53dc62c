import { randomUUID } from "node:crypto";
import {
  agentOffersTool,
  DEV_MODEL_ID,
  type HostServiceHandler,
  type RunService,
  subagentTargets,
} from "../agents/index.js";
import { createConversationHooks } from "../channels/commands/index.js";
import type { ConversationHooks } from "../channels/core/message-dispatcher.js";
import type { ChannelService } from "../channels/index.js";
import {
  BindingSweeper,
  type SpawnTarget,
  ThreadBindings,
  ThreadSpawner,
  TurnConversations,
  threadBindingSettings,
} from "../channels/thread-bindings/index.js";
import { resolveAgentConfigs } from "../config/agents.js";
import type { OpenClawConfig } from "../config/index.js";
import { OpenClawError } from "../errors.js";
import type { Logger } from "../logging/index.js";
import type { Storage } from "../storage/index.js";

/** Thread-bound sessions as the gateway runs them: bindings, their sweeper, spawns, chat commands. */
export interface GatewayThreadBindings {
  bindings: ThreadBindings;
  sweeper: BindingSweeper;
  spawner: ThreadSpawner;
  conversations: TurnConversations;
  /** Asked by the channel dispatcher before routing. */
  hooks: ConversationHooks;
  /** The `sessions` host service: `spawn` (thread: true) and `agents` (agents_list). */
  service: HostServiceHandler;
}

/** What the bindings use of the gateway (the Gateway itself fits; `channels` is read when used). */
export interface GatewayThreadBindingsOptions {
  readonly storage: Storage;
  readonly runs: RunService;
  readonly logger: Logger;
  readonly channels: ChannelService;
  config(): OpenClawConfig;
  /** The sweeper's longest wait between rounds (it wakes sooner for a binding about to end). */
  sweepIntervalMs?: number;
}

export function createGatewayThreadBindings(options: GatewayThreadBindingsOptions): GatewayThreadBindings {
  const log = (
    level: "debug" | "info" | "warn" | "error",
    message: string,
    details: Record<string, unknown>,
  ) => options.logger[level](details, message);
  let sweeper: BindingSweeper | undefined;
  const bindings = new ThreadBindings({
    store: options.storage.threadBindings,
    settings: (channel, accountId) => {
      const config = options.config();
      return threadBindingSettings(
        config.session.threadBindings,
        config.channels as Record<string, unknown>,
        channel,
        accountId,
      );
    },
    account: (channel, accountId) => options.channels.connectedAccount(channel, accountId),
    post: (channel, accountId, target, text) => options.channels.post(channel, accountId, target, text),
    log,
    onChange: () => sweeper?.changed(),
  });
  sweeper = new BindingSweeper(bindings, {
    log,
    ...(options.sweepIntervalMs !== undefined ? { intervalMs: options.sweepIntervalMs } : {}),
  });
  const conversations = new TurnConversations();
  const spawner = new ThreadSpawner({
    bindings,
    conversations,
    targets: (agentId) => spawnTargets(options.config(), agentId),
    run: async (request) => {
      const result = await options.runs.run({
        agentId: request.agentId,
        sessionKey: request.sessionKey,
        runId: randomUUID(),
        input: { kind: "message", text: request.task },
        origin: { transport: "subagent", route: request.parentSessionKey },
      });
      return result.outcome.text;
    },
    log,
  });
  const hooks = createConversationHooks({ bindings, runs: () => spawner.runs() });
  const service = sessionsService(spawner, () => options.config());
  return { bindings, sweeper, spawner, conversations, hooks, service };
}

/**
 * The `sessions` host service. Any tool of an agent can call a host service (a plugin too), so
 * the agent must be given the tool the operation belongs to, as the `message` service checks.
 */
export function sessionsService(
  spawner: Pick<ThreadSpawner, "spawn" | "agents">,
  config: () => OpenClawConfig,
): HostServiceHandler {
  return ({ agentId, sessionKey, operation, input }) => {
    const caller = { agentId, sessionKey };
    const tool = operation === "agents" ? "agents_list" : "sessions_spawn";
    if (operation !== "agents" && operation !== "spawn")
      throw new OpenClawError("OC_ERR_BAD_REQUEST", 'the sessions service takes "spawn" or "agents"');
    const current = config();
    const agent = resolveAgentConfigs(current).find((candidate) => candidate.id === agentId);
    if (!agent || !agentOffersTool(agent, current, tool)) {
      throw new OpenClawError("OC_ERR_SUBAGENT", `agent "${agentId}" is not given the ${tool} tool`, {
        hint: `allow ${tool} in agents.${agentId}.tools`,
      });
    }
    return operation === "agents" ? spawner.agents(caller) : spawner.spawn(caller, spawnInput(input));
  };
}

/** The agents `agentId` may spawn, with their models: what agents_list shows and spawn allows. */
export function spawnTargets(config: OpenClawConfig, agentId: string): SpawnTarget[] {
  const all = resolveAgentConfigs(config);
  const agent = all.find((candidate) => candidate.id === agentId);
  if (!agent) return [];
  const ids = new Set(subagentTargets(agent, all));
  return all
    .filter((candidate) => ids.has(candidate.id))
    .map((candidate) => ({
      id: candidate.id,
      model: candidate.model ?? DEV_MODEL_ID,
      threadBound: candidate.threadBound,
    }));
}

/** The tool's request, checked again here: it crossed from the agent's thread. */
function spawnInput(input: unknown) {
  const fields = (input ?? {}) as Record<string, unknown>;
  const { agentId, task, mode, label } = fields;
  if (typeof agentId !== "string" || agentId === "" || typeof task !== "string")
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "spawn needs { agentId, task } strings");
  if (mode !== "session" && mode !== "run")
    throw new OpenClawError("OC_ERR_BAD_REQUEST", 'spawn needs mode "session" or "run"');
  if (label !== undefined && typeof label !== "string")
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "spawn's label must be a string");
  return { agentId, task, mode, ...(label !== undefined ? { label } : {}) } as const;
}
