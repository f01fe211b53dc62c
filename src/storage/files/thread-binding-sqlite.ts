import {
  placeOf,
  type ThreadBinding,
  type ThreadBindingPlace,
  type ThreadBindingStore,
} from "../thread-binding-store.js";
import type { ChannelDatabase } from "./channel-database.js";

interface BindingRow {
  channel: string;
  account_id: string;
  peer_kind: string;
  peer_id: string;
  thread_id: string;
  agent_id: string;
  session_key: string;
  parent_session_key: string;
  mode: string;
  created_at: number;
  last_activity_at: number;
  idle_hours: number;
  max_age_hours: number;
  label: string | null;
}

// The thread's absence is '' so that the primary key (where NULLs never collide) holds one row per place.
const WHERE = "channel = ? AND account_id = ? AND peer_kind = ? AND peer_id = ? AND thread_id = ?";
const PUT = `INSERT INTO thread_bindings
  (channel, account_id, peer_kind, peer_id, thread_id, agent_id, session_key, parent_session_key, mode,
   created_at, last_activity_at, idle_hours, max_age_hours, label)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (channel, account_id, peer_kind, peer_id, thread_id) DO UPDATE SET
    agent_id = excluded.agent_id, session_key = excluded.session_key,
    parent_session_key = excluded.parent_session_key, mode = excluded.mode,
    created_at = excluded.created_at, last_activity_at = excluded.last_activity_at,
    idle_hours = excluded.idle_hours, max_age_hours = excluded.max_age_hours, label = excluded.label`;
const GET = `SELECT * FROM thread_bindings WHERE ${WHERE}`;
const TOUCH = `UPDATE thread_bindings SET last_activity_at = ? WHERE ${WHERE}`;
const SET_IDLE = `UPDATE thread_bindings SET idle_hours = ? WHERE ${WHERE}`;
const SET_MAX_AGE = `UPDATE thread_bindings SET max_age_hours = ? WHERE ${WHERE}`;
const REMOVE = `DELETE FROM thread_bindings WHERE ${WHERE}`;
const LIST = "SELECT * FROM thread_bindings ORDER BY created_at, rowid";

function keyOf(place: ThreadBindingPlace): [string, string, string, string, string] {
  return [place.channel, place.accountId, place.peer.kind, place.peer.id, place.threadId ?? ""];
}

function bindingOf(row: BindingRow): ThreadBinding {
  return {
    ...placeOf({
      channel: row.channel,
      accountId: row.account_id,
      peer: { kind: row.peer_kind as ThreadBinding["peer"]["kind"], id: row.peer_id },
      threadId: row.thread_id,
    }),
    agentId: row.agent_id,
    sessionKey: row.session_key,
    parentSessionKey: row.parent_session_key,
    mode: row.mode === "run" ? "run" : "session",
    createdAt: Number(row.created_at),
    lastActivityAt: Number(row.last_activity_at),
    idleHours: Number(row.idle_hours),
    maxAgeHours: Number(row.max_age_hours),
    ...(row.label !== null ? { label: row.label } : {}),
  };
}

/**
 * Thread bindings in the channel database, beside the inbox and pairing: each change one
 * transaction, synced before it returns, so a binding the model was told of survives a kill.
 * Reads of a gateway that never bound anything create no file.
 */
export class SqliteThreadBindingStore implements ThreadBindingStore {
  readonly #database: ChannelDatabase;

  constructor(database: ChannelDatabase) {
    this.#database = database;
  }

  async put(binding: ThreadBinding): Promise<void> {
    this.#database.write(() => {
      this.#database
        .statement(PUT)
        .run(
          ...keyOf(binding),
          binding.agentId,
          binding.sessionKey,
          binding.parentSessionKey,
          binding.mode,
          binding.createdAt,
          binding.lastActivityAt,
          binding.idleHours,
          binding.maxAgeHours,
          binding.label ?? null,
        );
    });
  }

  async get(place: ThreadBindingPlace): Promise<ThreadBinding | undefined> {
    return this.#database.read(
      () => {
        const row = this.#database.statement(GET).get(...keyOf(place)) as BindingRow | undefined;
        return row ? bindingOf(row) : undefined;
      },
      () => undefined,
    );
  }

  async touch(place: ThreadBindingPlace, at: number): Promise<boolean> {
    return this.#database.write(
      () => Number(this.#database.statement(TOUCH).run(at, ...keyOf(place)).changes) > 0,
      () => false,
    );
  }

  async update(
    place: ThreadBindingPlace,
    patch: { idleHours?: number; maxAgeHours?: number },
  ): Promise<ThreadBinding | undefined> {
    return this.#database.write(
      () => {
        if (patch.idleHours !== undefined)
          this.#database.statement(SET_IDLE).run(patch.idleHours, ...keyOf(place));
        if (patch.maxAgeHours !== undefined)
          this.#database.statement(SET_MAX_AGE).run(patch.maxAgeHours, ...keyOf(place));
        const row = this.#database.statement(GET).get(...keyOf(place)) as BindingRow | undefined;
        return row ? bindingOf(row) : undefined;
      },
      () => undefined,
    );
  }

  async remove(place: ThreadBindingPlace): Promise<ThreadBinding | undefined> {
    return this.#database.write(
      () => {
        const row = this.#database.statement(GET).get(...keyOf(place)) as BindingRow | undefined;
        if (!row) return undefined;
        this.#database.statement(REMOVE).run(...keyOf(place));
        return bindingOf(row);
      },
      () => undefined,
    );
  }

  async list(): Promise<ThreadBinding[]> {
    return this.#database.read(
      () => (this.#database.statement(LIST).all() as unknown as BindingRow[]).map(bindingOf),
      () => [],
    );
  }
}
