import type { Command } from "commander";
import { callGateway } from "./gateway-api.js";
import { formatTable, printJson } from "./output.js";

interface NodeRow {
  id: string;
  displayName?: string;
  platform?: string;
  status: string;
  requestedAt: string;
  decidedAt?: string;
  lastSeenAt?: string;
  remoteAddress?: string;
}

function printNodes(nodes: NodeRow[]): void {
  if (nodes.length === 0) {
    process.stdout.write("no nodes\n");
    return;
  }
  const rows = [["NODE", "NAME", "PLATFORM", "STATUS", "REQUESTED", "LAST SEEN", "ADDRESS"]];
  for (const node of nodes) {
    rows.push([
      node.id,
      node.displayName ?? "-",
      node.platform ?? "-",
      node.status,
      node.requestedAt,
      node.lastSeenAt ?? "-",
      node.remoteAddress ?? "-",
    ]);
  }
  process.stdout.write(`${formatTable(rows)}\n`);
}

/** `openclaw nodes list | pending | approve <id> | reject <id> | revoke <id>`: device pairing. */
export function registerNodesCommands(program: Command): void {
  const nodes = program.command("nodes").description("paired devices (nodes): approve, reject, revoke");
  for (const [name, path, description] of [
    ["list", "/__openclaw__/nodes", "every known node and its status"],
    ["pending", "/__openclaw__/nodes/pending", "nodes waiting for approval"],
  ] as const) {
    nodes
      .command(name)
      .description(description)
      .option("--json", "print JSON")
      .action(async (options: { json?: boolean }) => {
        const { nodes: list } = (await callGateway(path, "GET")) as { nodes: NodeRow[] };
        if (options.json) printJson(list);
        else printNodes(list);
      });
  }
  for (const [action, description] of [
    ["approve", "let a pending node in"],
    ["reject", "refuse a pending node"],
    ["revoke", "end an approved node's access now: its connections and capabilities"],
  ] as const) {
    nodes
      .command(`${action} <id>`)
      .description(description)
      .action(async (id: string) => {
        const { node } = (await callGateway(
          `/__openclaw__/nodes/${encodeURIComponent(id)}/${action}`,
          "POST",
        )) as {
          node: NodeRow;
        };
        process.stdout.write(`node ${node.id}: ${node.status}\n`);
      });
  }
}
