import { requireHost } from "./host-access.js";
import { asObject, type Tool, type ToolContext, ToolInputError } from "./tool.js";

/** The host service of the agents' memory: the gateway validates, stores, embeds and syncs. */
export const MEMORY_SERVICE = "memory";

export type MemoryOperation = "store" | "search" | "forget";

function callMemory(
  context: ToolContext,
  name: string,
  operation: MemoryOperation,
  input: Record<string, unknown>,
): Promise<unknown> {
  return requireHost(context, name).call(MEMORY_SERVICE, operation, input);
}

function text(input: Record<string, unknown>, key: string, name: string): string {
  const value = input[key];
  if (typeof value !== "string" || value.trim() === "")
    throw new ToolInputError(`${name} needs a non-empty string \`${key}\``);
  return value;
}

function tags(input: Record<string, unknown>, name: string): string[] | undefined {
  const value = input.tags;
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((tag) => typeof tag === "string")) {
    throw new ToolInputError(`${name}: \`tags\` must be an array of strings`);
  }
  return value;
}

export const memoryStoreTool: Tool = {
  hostService: MEMORY_SERVICE,
  name: "memory_store",
  description:
    "Remembers a fact for later sessions of this agent: a short, self-contained statement, with optional tags. " +
    "Returns its id.",
  parameters: {
    type: "object",
    properties: {
      text: { type: "string", description: "The fact, self-contained (who, what, when)." },
      tags: { type: "array", items: { type: "string" }, description: "Optional labels for filtering." },
    },
    required: ["text"],
    additionalProperties: false,
  },
  async execute(input, context) {
    const fields = asObject(input, "memory_store");
    const tagList = tags(fields, "memory_store");
    return callMemory(context, "memory_store", "store", {
      text: text(fields, "text", "memory_store"),
      ...(tagList ? { tags: tagList } : {}),
    });
  },
};

export const memorySearchTool: Tool = {
  hostService: MEMORY_SERVICE,
  name: "memory_search",
  description:
    "Searches this agent's memories (facts stored earlier, MEMORY.md and memory/*.md of the workspace). " +
    "Says whether the search was hybrid (keywords and meaning) or keyword-only.",
  parameters: {
    type: "object",
    properties: {
      query: { type: "string", description: "What to look for." },
      limit: { type: "integer", minimum: 1, maximum: 50, default: 8 },
      tags: { type: "array", items: { type: "string" }, description: "Only memories with all these tags." },
    },
    required: ["query"],
    additionalProperties: false,
  },
  async execute(input, context) {
    const fields = asObject(input, "memory_search");
    const tagList = tags(fields, "memory_search");
    const limit = fields.limit;
    if (
      limit !== undefined &&
      (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > 50)
    ) {
      throw new ToolInputError("memory_search: `limit` must be an integer from 1 to 50");
    }
    return callMemory(context, "memory_search", "search", {
      query: text(fields, "query", "memory_search"),
      ...(limit !== undefined ? { limit } : {}),
      ...(tagList ? { tags: tagList } : {}),
    });
  },
};

export const memoryForgetTool: Tool = {
  hostService: MEMORY_SERVICE,
  name: "memory_forget",
  description: "Forgets one memory of this agent, by the id memory_store or memory_search gave.",
  parameters: {
    type: "object",
    properties: { id: { type: "string", description: "The memory's id." } },
    required: ["id"],
    additionalProperties: false,
  },
  async execute(input, context) {
    const fields = asObject(input, "memory_forget");
    return callMemory(context, "memory_forget", "forget", { id: text(fields, "id", "memory_forget") });
  },
};

export const MEMORY_TOOLS: readonly Tool[] = [memoryStoreTool, memorySearchTool, memoryForgetTool];
