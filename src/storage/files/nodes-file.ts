import { readFile } from "node:fs/promises";
import { z } from "zod";
import { OpenClawError } from "../../errors.js";
import type { NodeRecord } from "../node-pairing-store.js";

export const NODES_FILE_NAME = "nodes.json";

const nodeRecordSchema = z.object({
  id: z.string().min(1),
  publicKey: z.string().min(1),
  displayName: z.string().optional(),
  platform: z.string().optional(),
  status: z.enum(["pending", "approved", "rejected", "revoked"]),
  requestedAt: z.string(),
  decidedAt: z.string().optional(),
  lastSeenAt: z.string().optional(),
  remoteAddress: z.string().optional(),
});
const nodesFileSchema = z.object({ version: z.literal(1), nodes: z.array(nodeRecordSchema) });

/**
 * The registry file, judged: missing is a fresh start; empty (zero bytes, whitespace, NULs) holds
 * no approvals and is said so; anything else that does not parse is refused with its path.
 */
export async function readNodesFile(path: string): Promise<Map<string, NodeRecord> | "empty"> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw new OpenClawError("OC_ERR_CONFIG_READ", `cannot read the node registry ${path}`, {
      hint: "check that the gateway's user owns the state directory",
      details: { path },
      cause: error,
    });
  }
  if (text.replace(/\0/g, "").trim() === "") return "empty";
  // Refusing to start beats starting empty: an empty registry would silently drop every
  // approval and, on the next write, overwrite the operator's file.
  const corrupt = (reason: string, cause?: unknown) =>
    new OpenClawError("OC_ERR_CONFIG_PARSE", `node registry ${path} is corrupt: ${reason}`, {
      hint: `restore it from a backup or repair it; or keep it aside and start over, approving every node again: mv ${path} ${path}.corrupt && openclaw gateway start`,
      details: { path },
      cause,
    });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw corrupt("it is not JSON (a write cut short, or another program's file)", error);
  }
  const parsed = nodesFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw corrupt(
      `it is not a node registry (${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "unexpected content"})`,
      parsed.error,
    );
  }
  const nodes = new Map<string, NodeRecord>();
  for (const record of parsed.data.nodes) {
    if (nodes.has(record.id)) throw corrupt(`node ${record.id} appears twice`);
    nodes.set(record.id, record);
  }
  return nodes;
}

export function serializeNodes(nodes: ReadonlyMap<string, NodeRecord>): string {
  return `${JSON.stringify({ version: 1, nodes: [...nodes.values()] }, null, 2)}\n`;
}
