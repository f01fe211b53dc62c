import {
  FINISHED_INBOX_STATES,
  INBOX_CHANGE_FROM,
  type InboxChange,
  inboxChangeRefused,
  inboxDepthKey,
  inboxEntryNotFound,
  UNFINISHED_INBOX_STATES,
} from "../channel-inbox-rules.js";
import type {
  ChannelInboxStore,
  InboxAddResult,
  InboxEntry,
  InboxMessage,
  InboxState,
} from "../channel-inbox-store.js";
import type { ChannelDatabase } from "./channel-database.js";

interface InboxRow {
  id: number;
  channel: string;
  account_id: string;
  message: string;
  state: InboxState;
  received_at: number;
  updated_at: number;
  attempts: number;
  agent_id: string | null;
  session_key: string | null;
  reply_chunks: string | null;
  sent_chunks: number;
  sent_message_ids: string;
  preview_message_id: string | null;
  reason: string | null;
}

/** `state IN (…)` of constant state names: never of input. */
const stateIn = (states: readonly InboxState[]) =>
  `state IN (${states.map((state) => `'${state}'`).join(", ")})`;
const from = (change: InboxChange) => stateIn(INBOX_CHANGE_FROM[change]);

const INSERT = `INSERT INTO inbox (channel, account_id, message_id, message, state, received_at, updated_at)
  VALUES (?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (channel, account_id, message_id) DO NOTHING RETURNING *`;
const MARK_RUNNING = `UPDATE inbox SET state = 'running', attempts = attempts + 1, agent_id = ?, session_key = ?,
  updated_at = ? WHERE id = ? AND ${from("markRunning")} RETURNING *`;
const SET_PREVIEW = `UPDATE inbox SET preview_message_id = ?, updated_at = ? WHERE id = ? AND ${from("setPreview")}
  RETURNING id`;
const SET_REPLY = `UPDATE inbox SET reply_chunks = ?, sent_chunks = 0, sent_message_ids = '[]',
  state = CASE WHEN ? = 0 THEN 'replied' ELSE 'replying' END, updated_at = ?
  WHERE id = ? AND ${from("setReply")} RETURNING *`;
// Only the next chunk: the sent marks stay a prefix of the chunks, whatever the caller does.
const MARK_CHUNK_SENT = `UPDATE inbox SET sent_chunks = sent_chunks + 1,
  sent_message_ids = json_insert(sent_message_ids, '$[#]', ?),
  state = CASE WHEN sent_chunks + 1 >= json_array_length(reply_chunks) THEN 'replied' ELSE 'replying' END,
  updated_at = ? WHERE id = ? AND ${from("markChunkSent")} AND sent_chunks = ? RETURNING *`;
const DROP = `UPDATE inbox SET state = 'dropped', reason = ?, updated_at = ? WHERE id = ? AND ${from("drop")}
  RETURNING id`;
const GET = "SELECT * FROM inbox WHERE id = ?";
const UNFINISHED = `SELECT * FROM inbox WHERE ${stateIn(UNFINISHED_INBOX_STATES)} ORDER BY id`;
const DEPTH = `SELECT channel, account_id, COUNT(*) AS count FROM inbox WHERE ${stateIn(UNFINISHED_INBOX_STATES)}
  GROUP BY channel, account_id ORDER BY channel, account_id`;
const PRUNE = `DELETE FROM inbox WHERE ${stateIn(FINISHED_INBOX_STATES)} AND updated_at < ?`;

/**
 * The inbox in the channel database: one row per (channel, account, platform message id), each
 * change one UPDATE that names the states it may start from, so a change that does not apply
 * writes nothing and says why.
 */
export class SqliteChannelInboxStore<M extends InboxMessage = InboxMessage> implements ChannelInboxStore<M> {
  readonly #database: ChannelDatabase;
  readonly #now: () => number;

  constructor(database: ChannelDatabase, now: () => number = Date.now) {
    this.#database = database;
    this.#now = now;
  }

  async add(messages: readonly M[]): Promise<InboxAddResult<M>> {
    if (messages.length === 0) return { added: [], duplicates: 0 };
    const now = this.#now();
    return this.#database.write(() => {
      const insert = this.#database.statement(INSERT);
      const added: InboxEntry<M>[] = [];
      for (const message of messages) {
        const row = insert.get(
          message.channel,
          message.accountId,
          message.messageId,
          JSON.stringify(message),
          now,
          now,
        ) as InboxRow | undefined;
        if (row) added.push(this.#entry(row));
      }
      return { added, duplicates: messages.length - added.length };
    });
  }

  async get(id: number): Promise<InboxEntry<M> | undefined> {
    return this.#database.read(
      () => this.#get(id),
      () => undefined,
    );
  }

  async unfinished(): Promise<InboxEntry<M>[]> {
    return this.#database.read(
      () =>
        (this.#database.statement(UNFINISHED).all() as unknown as InboxRow[]).map((row) => this.#entry(row)),
      () => [],
    );
  }

  async markRunning(id: number, route: { agentId: string; sessionKey: string }): Promise<InboxEntry<M>> {
    return this.#change(id, "markRunning", MARK_RUNNING, [route.agentId, route.sessionKey, this.#now(), id]);
  }

  async setPreview(id: number, platformMessageId: string): Promise<void> {
    await this.#change(id, "setPreview", SET_PREVIEW, [platformMessageId, this.#now(), id]);
  }

  async setReply(id: number, chunks: readonly string[]): Promise<InboxEntry<M>> {
    return this.#change(id, "setReply", SET_REPLY, [JSON.stringify(chunks), chunks.length, this.#now(), id]);
  }

  async markChunkSent(id: number, index: number, platformMessageId: string): Promise<InboxEntry<M>> {
    return this.#change(
      id,
      "markChunkSent",
      MARK_CHUNK_SENT,
      [platformMessageId, this.#now(), id, index],
      index,
    );
  }

  async drop(id: number, reason: string): Promise<void> {
    await this.#change(id, "drop", DROP, [reason, this.#now(), id]);
  }

  async depth(): Promise<Record<string, number>> {
    return this.#database.read(
      () => {
        const rows = this.#database.statement(DEPTH).all() as unknown as {
          channel: string;
          account_id: string;
          count: number;
        }[];
        return Object.fromEntries(rows.map((row) => [inboxDepthKey(row.channel, row.account_id), row.count]));
      },
      () => ({}),
    );
  }

  async prune(before: number): Promise<number> {
    return this.#database.write(
      () => Number(this.#database.statement(PRUNE).run(before).changes),
      () => 0,
    );
  }

  /** One UPDATE; when it matched nothing, the entry as it is says why (in the same transaction). */
  #change(
    id: number,
    change: InboxChange,
    sql: string,
    parameters: (string | number)[],
    index?: number,
  ): InboxEntry<M> {
    return this.#database.write(
      () => {
        const row = this.#database.statement(sql).get(...parameters) as InboxRow | { id: number } | undefined;
        if (row && "state" in row) return this.#entry(row);
        const entry = this.#get(id);
        if (!entry) throw inboxEntryNotFound(id);
        if (!row) throw inboxChangeRefused(entry, change, index);
        return entry;
      },
      () => {
        throw inboxEntryNotFound(id);
      },
    );
  }

  #get(id: number): InboxEntry<M> | undefined {
    const row = this.#database.statement(GET).get(id) as InboxRow | undefined;
    return row ? this.#entry(row) : undefined;
  }

  #entry(row: InboxRow): InboxEntry<M> {
    return {
      id: row.id,
      message: JSON.parse(row.message) as M,
      state: row.state,
      receivedAt: row.received_at,
      attempts: row.attempts,
      ...(row.agent_id !== null ? { agentId: row.agent_id } : {}),
      ...(row.session_key !== null ? { sessionKey: row.session_key } : {}),
      ...(row.reply_chunks !== null ? { replyChunks: JSON.parse(row.reply_chunks) as string[] } : {}),
      sentChunks: row.sent_chunks,
      sentMessageIds: JSON.parse(row.sent_message_ids) as string[],
      ...(row.preview_message_id !== null ? { previewMessageId: row.preview_message_id } : {}),
      ...(row.reason !== null ? { reason: row.reason } : {}),
      updatedAt: row.updated_at,
    };
  }
}
