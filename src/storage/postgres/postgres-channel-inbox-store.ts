import {
  INBOX_CHANGE_FROM,
  type InboxChange,
  inboxChangeRefused,
  inboxDepthKey,
  inboxEntryNotFound,
  inboxTransitions,
  UNFINISHED_INBOX_STATES,
} from "../channel-inbox-rules.js";
import type { ChannelInboxStore, InboxAddResult, InboxEntry, InboxMessage } from "../channel-inbox-store.js";
import type { PostgresDatabase } from "./postgres-database.js";

const UNFINISHED = [...UNFINISHED_INBOX_STATES];

/**
 * The channel inbox on PostgreSQL, by the rules every backend shares (channel-inbox-rules.ts):
 * a change reads its entry FOR UPDATE, checks the state allows it and writes in one transaction,
 * so two gateways changing one entry at once apply one after the other. The dedupe key is the
 * table's unique (channel, account, message id).
 */
export class PostgresChannelInboxStore<M extends InboxMessage = InboxMessage>
  implements ChannelInboxStore<M>
{
  constructor(private readonly database: PostgresDatabase) {}

  async add(messages: readonly M[]): Promise<InboxAddResult<M>> {
    if (messages.length === 0) return { added: [], duplicates: 0 };
    const now = this.database.now();
    const added = await this.database.transaction(async (client) => {
      const stored: InboxEntry<M>[] = [];
      for (const message of messages) {
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO channel_inbox (channel, account_id, message_id, state, updated_at, entry)
           VALUES ($1, $2, $3, 'pending', $4, '{}'::jsonb)
           ON CONFLICT (channel, account_id, message_id) DO NOTHING RETURNING id`,
          [message.channel, message.accountId, message.messageId, now],
        );
        if (!rows[0]) continue;
        const entry: InboxEntry<M> = {
          id: Number(rows[0].id),
          message: JSON.parse(JSON.stringify(message)) as M,
          state: "pending",
          receivedAt: now,
          attempts: 0,
          sentChunks: 0,
          sentMessageIds: [],
          updatedAt: now,
        };
        await client.query("UPDATE channel_inbox SET entry = $2::jsonb WHERE id = $1", [
          entry.id,
          JSON.stringify(entry),
        ]);
        stored.push(entry);
      }
      return stored;
    });
    return { added, duplicates: messages.length - added.length };
  }

  async get(id: number): Promise<InboxEntry<M> | undefined> {
    const { rows } = await this.database.query<{ entry: InboxEntry<M> }>(
      "SELECT entry FROM channel_inbox WHERE id = $1",
      [id],
    );
    return rows[0]?.entry;
  }

  async unfinished(): Promise<InboxEntry<M>[]> {
    const { rows } = await this.database.query<{ entry: InboxEntry<M> }>(
      "SELECT entry FROM channel_inbox WHERE state = ANY($1::text[]) ORDER BY id",
      [UNFINISHED],
    );
    return rows.map((row) => row.entry);
  }

  markRunning(id: number, route: { agentId: string; sessionKey: string }): Promise<InboxEntry<M>> {
    return this.change(id, "markRunning", (entry) => inboxTransitions.markRunning(entry, route));
  }

  async setPreview(id: number, platformMessageId: string): Promise<void> {
    await this.change(id, "setPreview", (entry) => inboxTransitions.setPreview(entry, platformMessageId));
  }

  setReply(id: number, chunks: readonly string[]): Promise<InboxEntry<M>> {
    return this.change(id, "setReply", (entry) => inboxTransitions.setReply(entry, chunks));
  }

  markChunkSent(id: number, index: number, platformMessageId: string): Promise<InboxEntry<M>> {
    return this.change(
      id,
      "markChunkSent",
      (entry) => inboxTransitions.markChunkSent(entry, index, platformMessageId),
      (entry) => inboxTransitions.chunkIsNext(entry, index),
      index,
    );
  }

  async drop(id: number, reason: string): Promise<void> {
    await this.change(id, "drop", (entry) => inboxTransitions.drop(entry, reason));
  }

  async depth(): Promise<Record<string, number>> {
    const { rows } = await this.database.query<{ channel: string; account_id: string; count: string }>(
      `SELECT channel, account_id, count(*) AS count FROM channel_inbox WHERE state = ANY($1::text[])
       GROUP BY channel, account_id ORDER BY min(id)`,
      [UNFINISHED],
    );
    const depth: Record<string, number> = {};
    for (const row of rows) depth[inboxDepthKey(row.channel, row.account_id)] = Number(row.count);
    return depth;
  }

  async prune(before: number): Promise<number> {
    const { rowCount } = await this.database.query(
      "DELETE FROM channel_inbox WHERE NOT (state = ANY($1::text[])) AND updated_at < $2",
      [UNFINISHED, before],
    );
    return rowCount ?? 0;
  }

  private change(
    id: number,
    change: InboxChange,
    apply: (entry: InboxEntry<M>) => InboxEntry<M>,
    applies: (entry: InboxEntry<M>) => boolean = () => true,
    index?: number,
  ): Promise<InboxEntry<M>> {
    return this.database.transaction(async (client) => {
      const { rows } = await client.query<{ entry: InboxEntry<M> }>(
        "SELECT entry FROM channel_inbox WHERE id = $1 FOR UPDATE",
        [id],
      );
      const entry = rows[0]?.entry;
      if (!entry) throw inboxEntryNotFound(id);
      if (!INBOX_CHANGE_FROM[change].includes(entry.state) || !applies(entry)) {
        throw inboxChangeRefused(entry, change, index);
      }
      const changed = { ...apply(entry), updatedAt: this.database.now() };
      await client.query(
        "UPDATE channel_inbox SET entry = $2::jsonb, state = $3, updated_at = $4 WHERE id = $1",
        [id, JSON.stringify(changed), changed.state, changed.updatedAt],
      );
      return changed;
    });
  }
}
