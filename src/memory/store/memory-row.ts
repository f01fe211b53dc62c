import type { MemoryRecord, MemorySource } from "./types.js";

export const MEMORY_COLUMNS = "doc_id, id, text, tags, source, has_vector, created_at, updated_at";

export interface MemoryRow {
  doc_id: number;
  id: string;
  text: string;
  tags: string;
  source: string;
  has_vector: number;
  created_at: string;
  updated_at: string;
}

export function rowToRecord(row: MemoryRow): MemoryRecord {
  return {
    id: row.id,
    text: row.text,
    tags: JSON.parse(row.tags) as string[],
    source: JSON.parse(row.source) as MemorySource,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
