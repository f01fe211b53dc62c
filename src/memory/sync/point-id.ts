import { createHash } from "node:crypto";

/**
 * Qdrant point ids must be unsigned integers or UUIDs. A name-based UUID (v5) of the agent and
 * the memory id gives every memory the same point id on every replay, so re-sending an entry
 * whose acknowledgement was lost overwrites the point instead of adding a second one.
 */

/** The namespace of memory point ids. Fixed forever: changing it would orphan every point. */
export const MEMORY_POINT_NAMESPACE = "5b0c7d1e-3f4a-4c8e-9a61-2d7f0e9b4c35";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** RFC 4122 §4.3 name-based UUID, version 5 (SHA-1). */
export function uuidV5(name: string, namespace: string): string {
  if (!UUID_PATTERN.test(namespace)) throw new TypeError(`not a UUID: ${namespace}`);
  const namespaceBytes = Buffer.from(namespace.replaceAll("-", ""), "hex");
  const hash = createHash("sha1").update(namespaceBytes).update(name, "utf8").digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The Qdrant point id of one agent's memory. */
export function memoryPointId(agentId: string, memoryId: string): string {
  return uuidV5(`${agentId}:${memoryId}`, MEMORY_POINT_NAMESPACE);
}
