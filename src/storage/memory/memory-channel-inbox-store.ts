import {
  INBOX_CHANGE_FROM,
  type InboxChange,
  inboxChangeRefused,
  inboxDepthKey,
  inboxEntryNotFound,
  inboxTransitions,
  isUnfinished,
} from "../channel-inbox-rules.js";
import type { ChannelInboxStore, InboxAddResult, InboxEntry, InboxMessage } from "../channel-inbox-store.js";
import type { MemoryChannelState } from "./memory-channel-location.js";

/** The channel inbox in a MemoryLocation: the files backend's rules, with entries kept as JSON. */
export class MemoryChannelInboxStore<M extends InboxMessage = InboxMessage> implements ChannelInboxStore<M> {
  readonly #inbox: MemoryChannelState["inbox"];
  readonly #now: () => number;

  constructor(state: MemoryChannelState, now: () => number = Date.now) {
    this.#inbox = state.inbox;
    this.#now = now;
  }

  async add(messages: readonly M[]): Promise<InboxAddResult<M>> {
    const now = this.#now();
    const added: InboxEntry<M>[] = [];
    for (const message of messages) {
      const key = JSON.stringify([message.channel, message.accountId, message.messageId]);
      if (this.#inbox.keys.has(key)) continue;
      const entry: InboxEntry<M> = {
        id: ++this.#inbox.lastId,
        message: JSON.parse(JSON.stringify(message)) as M,
        state: "pending",
        receivedAt: now,
        attempts: 0,
        sentChunks: 0,
        sentMessageIds: [],
        updatedAt: now,
      };
      this.#inbox.keys.set(key, entry.id);
      this.#store(entry);
      added.push(entry);
    }
    return { added: added.map((entry) => this.#copy(entry)), duplicates: messages.length - added.length };
  }

  async get(id: number): Promise<InboxEntry<M> | undefined> {
    return this.#read(id);
  }

  async unfinished(): Promise<InboxEntry<M>[]> {
    return this.#all().filter((entry) => isUnfinished(entry.state));
  }

  async markRunning(id: number, route: { agentId: string; sessionKey: string }): Promise<InboxEntry<M>> {
    return this.#change(id, "markRunning", (entry) => inboxTransitions.markRunning(entry, route));
  }

  async setPreview(id: number, platformMessageId: string): Promise<void> {
    this.#change(id, "setPreview", (entry) => inboxTransitions.setPreview(entry, platformMessageId));
  }

  async setReply(id: number, chunks: readonly string[]): Promise<InboxEntry<M>> {
    return this.#change(id, "setReply", (entry) => inboxTransitions.setReply(entry, chunks));
  }

  async markChunkSent(id: number, index: number, platformMessageId: string): Promise<InboxEntry<M>> {
    return this.#change(
      id,
      "markChunkSent",
      (entry) => inboxTransitions.markChunkSent(entry, index, platformMessageId),
      (entry) => inboxTransitions.chunkIsNext(entry, index),
      index,
    );
  }

  async drop(id: number, reason: string): Promise<void> {
    this.#change(id, "drop", (entry) => inboxTransitions.drop(entry, reason));
  }

  async depth(): Promise<Record<string, number>> {
    const depth: Record<string, number> = {};
    for (const entry of await this.unfinished()) {
      const key = inboxDepthKey(entry.message.channel, entry.message.accountId);
      depth[key] = (depth[key] ?? 0) + 1;
    }
    return depth;
  }

  async prune(before: number): Promise<number> {
    let pruned = 0;
    for (const entry of this.#all()) {
      if (isUnfinished(entry.state) || entry.updatedAt >= before) continue;
      this.#inbox.entries.delete(entry.id);
      this.#inbox.keys.delete(
        JSON.stringify([entry.message.channel, entry.message.accountId, entry.message.messageId]),
      );
      pruned++;
    }
    return pruned;
  }

  #change(
    id: number,
    change: InboxChange,
    apply: (entry: InboxEntry<M>) => InboxEntry<M>,
    applies: (entry: InboxEntry<M>) => boolean = () => true,
    index?: number,
  ): InboxEntry<M> {
    const entry = this.#read(id);
    if (!entry) throw inboxEntryNotFound(id);
    if (!INBOX_CHANGE_FROM[change].includes(entry.state) || !applies(entry)) {
      throw inboxChangeRefused(entry, change, index);
    }
    const changed = { ...apply(entry), updatedAt: this.#now() };
    this.#store(changed);
    return this.#copy(changed);
  }

  #store(entry: InboxEntry<M>): void {
    this.#inbox.entries.set(entry.id, JSON.stringify(entry));
  }

  #read(id: number): InboxEntry<M> | undefined {
    const text = this.#inbox.entries.get(id);
    return text === undefined ? undefined : (JSON.parse(text) as InboxEntry<M>);
  }

  #all(): InboxEntry<M>[] {
    return [...this.#inbox.entries.values()].map((text) => JSON.parse(text) as InboxEntry<M>);
  }

  #copy(entry: InboxEntry<M>): InboxEntry<M> {
    return JSON.parse(JSON.stringify(entry)) as InboxEntry<M>;
  }
}
