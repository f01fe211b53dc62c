import type { HostAccess } from "./host-access.js";
import { requireHost } from "./host-access.js";
import { type Tool, ToolInputError } from "./tool.js";

/** The host service of the MCP servers (src/mcp): they run on the gateway's thread, never here. */
export const MCP_SERVICE = "mcp";

/** One MCP tool as the gateway lists it for this agent (already filtered by its policy there). */
interface McpToolListing {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
  server: string;
}

interface McpCallAnswer {
  text: string;
  isError: boolean;
  images: { mimeType: string; bytes: number }[];
}

function isListing(value: unknown): value is McpToolListing {
  const fields = value as Partial<McpToolListing> | null;
  return (
    typeof fields?.name === "string" &&
    typeof fields.server === "string" &&
    typeof fields.description === "string" &&
    typeof fields.parameters === "object" &&
    fields.parameters !== null
  );
}

/** A proxy for one MCP tool: its call goes to the gateway, which holds the server session. */
function proxyTool(listing: McpToolListing): Tool {
  return {
    name: listing.name,
    description: listing.description,
    parameters: listing.parameters,
    hostService: MCP_SERVICE,
    optIn: true,
    mcpServer: listing.server,
    async execute(input, context) {
      const host = requireHost(context, listing.name);
      let answer: McpCallAnswer;
      try {
        answer = (await host.call(
          MCP_SERVICE,
          "call",
          { name: listing.name, input: input ?? {} },
          { signal: context.signal },
        )) as McpCallAnswer;
      } catch (error) {
        context.signal.throwIfAborted();
        throw new ToolInputError(error instanceof Error ? error.message : String(error));
      }
      // The server's own `isError` is a tool error the model reads, like any failed tool.
      if (answer.isError) throw new ToolInputError(answer.text || `${listing.name} failed`);
      return answer.text;
    },
  };
}

/**
 * The agent's MCP tools for one turn, listed by the gateway (which starts the servers on first
 * use and caches their lists): a server whose list changed is seen on the next turn.
 */
export async function listMcpTools(host: HostAccess, signal: AbortSignal): Promise<Tool[]> {
  const listed = await host.call(MCP_SERVICE, "list", {}, { signal });
  if (!Array.isArray(listed)) return [];
  return listed.filter(isListing).map(proxyTool);
}
