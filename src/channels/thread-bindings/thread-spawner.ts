import { randomUUID } from "node:crypto";
import { OpenClawError, toOpenClawError } from "../../errors.js";
import { sessionKeys } from "../../sessions/index.js";
import type { ThreadBinding } from "../../storage/thread-binding-store.js";
import type { SpawnedRunView } from "../commands/chat-commands.js";
import { fieldsOf, parentAgentOf, type ThreadBindings } from "./thread-bindings.js";
import type { TurnConversations } from "./turn-conversations.js";

/** An agent the caller may spawn, as `agents_list` shows it. */
export interface SpawnTarget {
  id: string;
  model: string;
  threadBound: boolean;
}

export interface ThreadSpawnerOptions {
  bindings: ThreadBindings;
  conversations: TurnConversations;
  /** The agents `agentId` may spawn (its subagents.allow), from the config in force. */
  targets(agentId: string): SpawnTarget[];
  /** Runs the task as a turn of the helper's session; resolves with its answer. */
  run(request: {
    agentId: string;
    sessionKey: string;
    task: string;
    parentSessionKey: string;
  }): Promise<string>;
  log(level: "debug" | "info" | "warn" | "error", message: string, details: Record<string, unknown>): void;
  now?: () => number;
}

/** Who asks, as the gateway knows the turn: never what the tool claims. */
export interface SpawnCaller {
  agentId: string;
  sessionKey: string;
}

export interface ThreadSpawnInput {
  agentId: string;
  task: string;
  mode: "session" | "run";
  label?: string;
}

/** What the model is told of a bound spawn. */
export interface ThreadSpawnResult {
  status: "bound";
  agentId: string;
  childSessionKey: string;
  mode: "session" | "run";
  channel: string;
  accountId: string;
  conversation: string;
  threadId?: string;
  idleHours: number;
  maxAgeHours: number;
  label?: string;
  note: string;
}

/**
 * `sessions_spawn { thread: true }` on the gateway's side: checks the target against the
 * caller's allow-list, finds the caller turn's own conversation (a model cannot name another
 * chat), binds it, runs the task in a new session of the target and posts the answer into the
 * bound thread. `mode: "run"` unbinds once that answer is posted.
 */
export class ThreadSpawner {
  private readonly active = new Map<string, SpawnedRunView>();
  private readonly now: () => number;

  constructor(private readonly options: ThreadSpawnerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The helper runs still going, for `/agents`. */
  runs(): SpawnedRunView[] {
    return [...this.active.values()];
  }

  agents(caller: SpawnCaller): SpawnTarget[] {
    return this.options.targets(caller.agentId);
  }

  async spawn(caller: SpawnCaller, input: ThreadSpawnInput): Promise<ThreadSpawnResult> {
    const targets = this.options.targets(caller.agentId);
    if (!targets.some((target) => target.id === input.agentId)) {
      const allowed = targets.map((target) => target.id).join(", ") || "none";
      throw new OpenClawError(
        "OC_ERR_SUBAGENT",
        `agent "${input.agentId}" is not a delegation target of ${caller.agentId}; allowed: ${allowed}`,
        {
          hint: `add "${input.agentId}" to agents.${caller.agentId}.subagents.allowAgents, or call agents_list`,
        },
      );
    }
    if (input.task.trim() === "") {
      throw new OpenClawError("OC_ERR_SUBAGENT", "a subagent task must not be empty", {
        hint: "describe the task in full: the helper does not see this conversation",
      });
    }
    const origin = this.options.conversations.of(caller.sessionKey);
    if (!origin) {
      throw new OpenClawError(
        "OC_ERR_THREAD_BINDING",
        "thread: true needs a turn that came from a chat channel; this one did not",
        {
          hint: "spawn without thread: true (the answer comes back to this turn), or ask from Telegram, Discord or Slack",
        },
      );
    }
    const childSessionKey = sessionKeys.subagent(input.agentId, randomUUID());
    const binding = await this.options.bindings.bind({
      origin,
      agentId: input.agentId,
      sessionKey: childSessionKey,
      parentSessionKey: caller.sessionKey,
      mode: input.mode,
      task: input.task,
      ...(input.label !== undefined ? { label: input.label } : {}),
    });
    this.start(binding, input.task);
    return {
      status: "bound",
      agentId: input.agentId,
      childSessionKey,
      mode: input.mode,
      channel: binding.channel,
      accountId: binding.accountId,
      conversation: `${binding.peer.kind}:${binding.peer.id}`,
      ...(binding.threadId !== undefined ? { threadId: binding.threadId } : {}),
      idleHours: binding.idleHours,
      maxAgeHours: binding.maxAgeHours,
      ...(binding.label !== undefined ? { label: binding.label } : {}),
      note:
        input.mode === "run"
          ? `${input.agentId} works on the task now and posts its answer into the ${binding.threadId !== undefined ? "thread" : "conversation"}, which is then unbound.`
          : `${input.agentId} works on the task now and posts its answer into the ${binding.threadId !== undefined ? "thread" : "conversation"}; the user's later messages there go to ${input.agentId} until /session unbind or expiry.`,
    };
  }

  /** The task runs beside the spawning turn: its answer is posted, not returned to the model. */
  private start(binding: ThreadBinding, task: string): void {
    const view: SpawnedRunView = {
      agentId: binding.agentId,
      sessionKey: binding.sessionKey,
      parentSessionKey: binding.parentSessionKey,
      mode: binding.mode,
      startedAt: this.now(),
    };
    this.active.set(binding.sessionKey, view);
    void this.options
      .run({
        agentId: binding.agentId,
        sessionKey: binding.sessionKey,
        task,
        parentSessionKey: binding.parentSessionKey,
      })
      .then(
        (text) => (text.trim() === "" ? "(no answer)" : text),
        (error: unknown) => {
          const failure = toOpenClawError(error);
          this.options.log("warn", "thread-bound helper run failed", {
            ...fieldsOf(binding),
            error: failure.message,
          });
          return `⚠️ ${binding.agentId} could not finish: ${failure.message}`;
        },
      )
      .then(async (answer) => {
        await this.options.bindings.notify(binding, answer);
        if (binding.mode !== "run") return;
        const current = await this.options.bindings.get(binding);
        if (current?.sessionKey !== binding.sessionKey) return;
        await this.options.bindings.unbind(binding);
        await this.options.bindings.notify(
          binding,
          `✅ ${binding.agentId} is done; messages go to ${parentAgentOf(binding)} again.`,
        );
      })
      .catch((error: unknown) =>
        this.options.log("warn", "thread-bound helper answer not posted", {
          ...fieldsOf(binding),
          error: toOpenClawError(error).message,
        }),
      )
      .finally(() => this.active.delete(binding.sessionKey));
  }
}
