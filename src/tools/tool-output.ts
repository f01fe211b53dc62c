/** Tool output handed back to a model is capped: one runaway tool must not blow the context. */
export const MAX_TOOL_OUTPUT_CHARS = 64 * 1024;

export function formatToolOutput(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "null");
  if (text.length <= MAX_TOOL_OUTPUT_CHARS) return text;
  const omitted = text.length - MAX_TOOL_OUTPUT_CHARS;
  return `${text.slice(0, MAX_TOOL_OUTPUT_CHARS)}\n[output truncated: ${omitted} more characters]`;
}
