/** One MCP tool result as the turn receives it: text for the model, images as metadata only. */
export interface McpToolOutcome {
  text: string;
  isError: boolean;
  /** Images the tool returned, described (the model gets no pixels through a tool result here). */
  images: { mimeType: string; bytes: number }[];
}

interface ContentBlock {
  type?: unknown;
  text?: unknown;
  data?: unknown;
  mimeType?: unknown;
  uri?: unknown;
  name?: unknown;
  resource?: { uri?: unknown; text?: unknown; mimeType?: unknown };
}

/** Base64 length to decoded bytes, without decoding a possibly large image. */
function base64Bytes(data: string): number {
  const padding = data.endsWith("==") ? 2 : data.endsWith("=") ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

function describeBlock(block: ContentBlock, images: McpToolOutcome["images"]): string {
  switch (block.type) {
    case "text":
      return typeof block.text === "string" ? block.text : "";
    case "image":
    case "audio": {
      const mimeType = typeof block.mimeType === "string" ? block.mimeType : "application/octet-stream";
      const bytes = typeof block.data === "string" ? base64Bytes(block.data) : 0;
      if (block.type === "image") images.push({ mimeType, bytes });
      return `[${block.type}: ${mimeType}, ${bytes} bytes]`;
    }
    case "resource": {
      const resource = block.resource ?? {};
      if (typeof resource.text === "string") return resource.text;
      return `[resource: ${String(resource.uri ?? "?")}]`;
    }
    case "resource_link":
      return `[resource link: ${String(block.uri ?? "?")}${typeof block.name === "string" ? ` (${block.name})` : ""}]`;
    default:
      return `[${String(block.type)} content]`;
  }
}

/**
 * A `tools/call` result (content blocks, `structuredContent`, `isError`) as one text: the blocks
 * in order, the structured content as JSON when there is no text to show it.
 */
export function toolOutcome(result: unknown): McpToolOutcome {
  const fields = (typeof result === "object" && result !== null ? result : {}) as {
    content?: unknown;
    structuredContent?: unknown;
    isError?: unknown;
    toolResult?: unknown;
  };
  const images: McpToolOutcome["images"] = [];
  const blocks = Array.isArray(fields.content) ? (fields.content as ContentBlock[]) : [];
  const parts = blocks.map((block) => describeBlock(block, images)).filter((part) => part !== "");
  if (parts.length === 0 && fields.structuredContent !== undefined)
    parts.push(JSON.stringify(fields.structuredContent));
  // Servers of the protocol's first version answer `{ toolResult }`.
  if (parts.length === 0 && fields.toolResult !== undefined) parts.push(JSON.stringify(fields.toolResult));
  return { text: parts.join("\n"), isError: fields.isError === true, images };
}
