import { OpenClawError, toOpenClawError } from "../../errors.js";
import { agentIdOfSessionKey } from "../../sessions/index.js";
import {
  placeOf,
  type ThreadBinding,
  type ThreadBindingPlace,
  type ThreadBindingStore,
} from "../../storage/thread-binding-store.js";
import type { ChannelAccount, InboundMessage, OutboundTarget } from "../core/channel-account.js";
import { bindingExpiry, formatHours } from "./binding-expiry.js";
import type { ThreadBindingSettings } from "./binding-settings.js";

export interface ThreadBindingsOptions {
  store: ThreadBindingStore;
  /** The settings in force for a channel account (see binding-settings). */
  settings(channel: string, accountId: string): ThreadBindingSettings;
  /** The connected account, undefined while it is not. */
  account(channel: string, accountId: string): ChannelAccount | undefined;
  /** Sends Markdown into a conversation, chunked as the platform needs. */
  post(channel: string, accountId: string, target: OutboundTarget, text: string): Promise<void>;
  log(level: "debug" | "info" | "warn" | "error", message: string, details: Record<string, unknown>): void;
  now?: () => number;
  /** Told whenever a binding is made or changed: the sweeper plans its next round. */
  onChange?(): void;
}

export interface BindRequest {
  /** Where the spawning turn's message came from: taken from the gateway's turn, never from a tool. */
  origin: ThreadBindingPlace;
  agentId: string;
  sessionKey: string;
  parentSessionKey: string;
  mode: "session" | "run";
  label?: string;
  /** What the helper was asked: the new thread's first message and title. */
  task: string;
}

/** Where a binding's messages are sent. */
export function targetOfPlace(place: ThreadBindingPlace): OutboundTarget {
  return { peer: place.peer, ...(place.threadId !== undefined ? { threadId: place.threadId } : {}) };
}

export function placeOfMessage(message: InboundMessage): ThreadBindingPlace {
  return placeOf(message);
}

/** Who the conversation goes back to once unbound: the agent of the session that spawned. */
export function parentAgentOf(binding: ThreadBinding): string {
  return agentIdOfSessionKey(binding.parentSessionKey) ?? "the agent it was routed to";
}

/**
 * The gateway's thread bindings: made by `sessions_spawn { thread: true }` (`bind`), consulted
 * for every allowed channel message before routing (`resolve`), ended by `/session unbind`, by
 * their idle or age limit (`expire`), or by a one-shot run finishing. A platform that opens
 * threads (`capabilities.threads: "child"`) gets a new thread per helper; one that cannot
 * (`"conversation"`, Telegram) has the conversation itself bound.
 */
export class ThreadBindings {
  private readonly now: () => number;

  constructor(private readonly options: ThreadBindingsOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The live binding of the message's conversation, its activity moved to now; a binding past
   * its limits is ended here (with its notice) rather than answering once more.
   */
  async resolve(message: InboundMessage): Promise<ThreadBinding | undefined> {
    const place = placeOfMessage(message);
    const binding = await this.options.store.get(place);
    if (!binding) return undefined;
    const now = this.now();
    if (bindingExpiry(binding).at <= now) {
      await this.expire(binding);
      return undefined;
    }
    await this.options.store.touch(place, now);
    this.options.onChange?.();
    return { ...binding, lastActivityAt: now };
  }

  get(place: ThreadBindingPlace): Promise<ThreadBinding | undefined> {
    return this.options.store.get(placeOf(place));
  }

  list(): Promise<ThreadBinding[]> {
    return this.options.store.list();
  }

  /** Whether a conversation of this account could be bound now, and if not, why. */
  availability(channel: string, accountId: string): "available" | "disabled" | "unsupported" {
    if (!this.options.settings(channel, accountId).enabled) return "disabled";
    const account = this.options.account(channel, accountId);
    return account?.capabilities.threads ? "available" : "unsupported";
  }

  async bind(request: BindRequest): Promise<ThreadBinding> {
    const { origin } = request;
    const settings = this.options.settings(origin.channel, origin.accountId);
    const where = `${origin.channel} account "${origin.accountId}"`;
    if (!settings.enabled) {
      throw new OpenClawError("OC_ERR_THREAD_BINDING", `thread bindings are off for ${where}`, {
        hint: `set session.threadBindings.enabled (or channels.${origin.channel}.threadBindings.enabled) to true, or spawn without thread: true`,
      });
    }
    if (!settings.spawnSessions) {
      throw new OpenClawError(
        "OC_ERR_THREAD_BINDING",
        `${where} does not bind spawned sessions to threads (threadBindings.spawnSessions is false)`,
        {
          hint: `set channels.${origin.channel}.threadBindings.spawnSessions to true, or spawn without thread: true`,
        },
      );
    }
    const account = this.options.account(origin.channel, origin.accountId);
    if (!account) {
      throw new OpenClawError("OC_ERR_CHANNEL_CONNECT", `${where} is not connected`, {
        hint: "see `openclaw channels status`; it reconnects by itself, then spawn again",
      });
    }
    const mode = account.capabilities.threads;
    if (mode === undefined || (mode === "child" && !account.createThread)) {
      throw new OpenClawError(
        "OC_ERR_THREAD_BINDING",
        `${origin.channel} cannot bind a conversation to a session`,
        {
          hint: "spawn without thread: true: the helper's answer then comes back to this turn",
        },
      );
    }
    let place = placeOf(origin);
    const intro = introText(request);
    if (mode === "child" && account.createThread) {
      const title = (request.label ?? `${request.agentId}: ${request.task}`)
        .replace(/\s+/g, " ")
        .slice(0, 100);
      const { threadId } = await account.createThread(targetOfPlace(origin), title, intro);
      place = { ...place, threadId };
    }
    const now = this.now();
    const binding: ThreadBinding = {
      ...place,
      agentId: request.agentId,
      sessionKey: request.sessionKey,
      parentSessionKey: request.parentSessionKey,
      mode: request.mode,
      createdAt: now,
      lastActivityAt: now,
      idleHours: settings.idleHours,
      maxAgeHours: settings.maxAgeHours,
      ...(request.label !== undefined ? { label: request.label } : {}),
    };
    await this.options.store.put(binding);
    this.options.onChange?.();
    this.options.log("info", "conversation bound to a helper session", fieldsOf(binding));
    // A new Discord/Slack thread carries the intro already; a bound conversation is told here.
    if (mode === "conversation") await this.notify(binding, intro);
    return binding;
  }

  /** Removes the binding of a place; the helper's session stays, only the routing ends. */
  async unbind(place: ThreadBindingPlace): Promise<ThreadBinding | undefined> {
    const removed = await this.options.store.remove(placeOf(place));
    if (removed) {
      this.options.onChange?.();
      this.options.log("info", "conversation unbound", fieldsOf(removed));
    }
    return removed;
  }

  async setLimits(
    place: ThreadBindingPlace,
    patch: { idleHours?: number; maxAgeHours?: number },
  ): Promise<ThreadBinding | undefined> {
    const updated = await this.options.store.update(placeOf(place), patch);
    if (updated) this.options.onChange?.();
    return updated;
  }

  /** Ends the bindings past their limits, each with a notice in its thread; returns them. */
  async sweep(): Promise<ThreadBinding[]> {
    const now = this.now();
    const expired = (await this.options.store.list()).filter((binding) => bindingExpiry(binding).at <= now);
    for (const binding of expired) await this.expire(binding);
    return expired;
  }

  /** The earliest instant a binding ends (the sweeper's next round), Infinity without any. */
  async nextExpiry(): Promise<number> {
    const bindings = await this.options.store.list();
    return Math.min(Infinity, ...bindings.map((binding) => bindingExpiry(binding).at));
  }

  private async expire(binding: ThreadBinding): Promise<void> {
    const removed = await this.options.store.remove(binding);
    // Another round (or a message) ended it first, or it was bound anew meanwhile.
    if (!removed || removed.sessionKey !== binding.sessionKey) {
      if (removed) await this.options.store.put(removed);
      return;
    }
    const { reason } = bindingExpiry(binding);
    this.options.log("info", "thread binding expired", { ...fieldsOf(binding), reason });
    await this.notify(
      binding,
      `⏱️ This ${binding.threadId !== undefined ? "thread" : "conversation"} is no longer bound to ${binding.agentId} (${reason}); messages go to ${parentAgentOf(binding)} again.`,
    );
  }

  /** Says something in the bound conversation; a failure is logged, never thrown (the binding changed anyway). */
  async notify(binding: ThreadBindingPlace, text: string): Promise<void> {
    try {
      await this.options.post(binding.channel, binding.accountId, targetOfPlace(binding), text);
    } catch (error) {
      this.options.log("warn", "thread binding notice not sent", {
        channel: binding.channel,
        account: binding.accountId,
        error: toOpenClawError(error).message,
      });
    }
  }
}

function introText(request: BindRequest): string {
  const task = request.task.length > 300 ? `${request.task.slice(0, 300)}…` : request.task;
  const name = request.label ? `${request.agentId} (${request.label})` : request.agentId;
  return `🔗 ${name} takes over here: ${task}\nSend /session unbind to talk to ${agentIdOfSessionKey(request.parentSessionKey) ?? "the previous agent"} again.`;
}

export function fieldsOf(binding: ThreadBinding): Record<string, unknown> {
  return {
    channel: binding.channel,
    account: binding.accountId,
    peer: `${binding.peer.kind}:${binding.peer.id}`,
    ...(binding.threadId !== undefined ? { thread: binding.threadId } : {}),
    agent: binding.agentId,
    session: binding.sessionKey,
    idleHours: binding.idleHours,
    maxAgeHours: binding.maxAgeHours,
    limits: `${formatHours(binding.idleHours)} idle, ${formatHours(binding.maxAgeHours)} max age`,
  };
}
