import type { MemoryService } from "./memory-service.js";

/** What a memory tool of an agent asks (the agents' MemoryCall, seen from here). */
export interface MemoryToolCall {
  agentId: string;
  sessionKey: string;
  op: "store" | "search" | "forget";
  input: unknown;
}

function field(input: unknown, key: string): unknown {
  return typeof input === "object" && input !== null ? (input as Record<string, unknown>)[key] : undefined;
}

/** Runs what a memory_* tool of an agent asked and shapes the answer the model reads. */
export async function answerToolCall(service: MemoryService, call: MemoryToolCall): Promise<unknown> {
  switch (call.op) {
    case "store": {
      const record = await service.remember(call.agentId, {
        text: String(field(call.input, "text") ?? ""),
        tags: (field(call.input, "tags") as string[] | undefined) ?? [],
        sessionKey: call.sessionKey,
      });
      return { stored: true, id: record.id };
    }
    case "search": {
      const limit = field(call.input, "limit");
      const tags = field(call.input, "tags") as string[] | undefined;
      const found = await service.search(call.agentId, String(field(call.input, "query") ?? ""), {
        ...(typeof limit === "number" ? { limit } : {}),
        ...(tags ? { tags } : {}),
      });
      return {
        mode: found.mode,
        ...(found.note ? { note: found.note } : {}),
        results: found.hits.map((hit) => ({
          id: hit.record.id,
          text: hit.record.text,
          tags: hit.record.tags,
          score: Math.round(hit.score * 10_000) / 10_000,
          ...(hit.record.source.sessionKey ? { session: hit.record.source.sessionKey } : {}),
          ...(hit.record.source.path ? { file: hit.record.source.path } : {}),
        })),
      };
    }
    case "forget":
      return { forgotten: await service.forget(call.agentId, String(field(call.input, "id") ?? "")) };
  }
}
