import type { ModelStreamPart } from "../types.js";

/** Drains a model stream into an array; rejects with whatever the stream throws. */
export async function collectStream(stream: AsyncIterable<ModelStreamPart>): Promise<ModelStreamPart[]> {
  const parts: ModelStreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

export function textDeltas(parts: ModelStreamPart[]): string[] {
  return parts.flatMap((part) => (part.type === "text-delta" ? [part.text] : []));
}

export function finishOf(parts: ModelStreamPart[]): Extract<ModelStreamPart, { type: "finish" }> | undefined {
  return parts.find((part) => part.type === "finish");
}
