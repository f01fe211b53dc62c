import {
  type ThreadBinding,
  type ThreadBindingPlace,
  type ThreadBindingStore,
  threadBindingKey,
} from "../thread-binding-store.js";
import type { PostgresDatabase } from "./postgres-database.js";

/** Thread bindings as rows keyed by place; a replaced binding is a new one (the end of creation order). */
export class PostgresThreadBindingStore implements ThreadBindingStore {
  constructor(private readonly database: PostgresDatabase) {}

  async put(binding: ThreadBinding): Promise<void> {
    await this.database.query(
      `INSERT INTO thread_bindings (place, binding) VALUES ($1, $2::jsonb)
       ON CONFLICT (place) DO UPDATE SET binding = EXCLUDED.binding,
         created_seq = nextval(pg_get_serial_sequence('thread_bindings', 'created_seq'))`,
      [threadBindingKey(binding), JSON.stringify(binding)],
    );
  }

  async get(place: ThreadBindingPlace): Promise<ThreadBinding | undefined> {
    const { rows } = await this.database.query<{ binding: ThreadBinding }>(
      "SELECT binding FROM thread_bindings WHERE place = $1",
      [threadBindingKey(place)],
    );
    return rows[0]?.binding;
  }

  async touch(place: ThreadBindingPlace, at: number): Promise<boolean> {
    const { rowCount } = await this.database.query(
      `UPDATE thread_bindings SET binding = jsonb_set(binding, '{lastActivityAt}', to_jsonb($2::float8)) WHERE place = $1`,
      [threadBindingKey(place), at],
    );
    return (rowCount ?? 0) > 0;
  }

  async update(
    place: ThreadBindingPlace,
    patch: { idleHours?: number; maxAgeHours?: number },
  ): Promise<ThreadBinding | undefined> {
    const changes: Record<string, number> = {};
    if (patch.idleHours !== undefined) changes.idleHours = patch.idleHours;
    if (patch.maxAgeHours !== undefined) changes.maxAgeHours = patch.maxAgeHours;
    const { rows } = await this.database.query<{ binding: ThreadBinding }>(
      "UPDATE thread_bindings SET binding = binding || $2::jsonb WHERE place = $1 RETURNING binding",
      [threadBindingKey(place), JSON.stringify(changes)],
    );
    return rows[0]?.binding;
  }

  async remove(place: ThreadBindingPlace): Promise<ThreadBinding | undefined> {
    const { rows } = await this.database.query<{ binding: ThreadBinding }>(
      "DELETE FROM thread_bindings WHERE place = $1 RETURNING binding",
      [threadBindingKey(place)],
    );
    return rows[0]?.binding;
  }

  async list(): Promise<ThreadBinding[]> {
    const { rows } = await this.database.query<{ binding: ThreadBinding }>(
      "SELECT binding FROM thread_bindings ORDER BY (binding->>'createdAt')::float8, created_seq",
    );
    return rows.map((row) => row.binding);
  }
}
