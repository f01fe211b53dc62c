import type { Command } from "commander";
import type { ClusterStatus } from "../gateway/gateway-cluster.js";
import { callGateway } from "./gateway-api.js";
import { formatDuration, formatTable, printJson } from "./output.js";

/** The text `openclaw cluster status` prints: one row per replica, then the event lag. */
export function formatClusterStatus(status: ClusterStatus): string {
  if (!status.clustered) {
    return `storage: ${status.storage} (not shared): this gateway is not part of a cluster\n`;
  }
  const rows = [
    ["REPLICA", "URL", "VERSION", "AGE", "LAST SEEN", "SESSION LEASES"],
    ...status.replicas.map((replica) => [
      `${replica.id}${replica.self ? " (this)" : ""}`,
      replica.internalUrl,
      replica.version,
      formatDuration(replica.ageMs),
      `${formatDuration(replica.lastSeenMsAgo)} ago`,
      replica.sessionLeases === null ? "?" : String(replica.sessionLeases),
    ]),
  ];
  const lag = status.eventLagMs === null ? "no event received yet" : `${formatDuration(status.eventLagMs)}`;
  return `storage: ${status.storage}, ${status.replicas.length} replica(s)\n${formatTable(rows)}\nevent lag (since the last cluster event here): ${lag}\n`;
}

/** `openclaw cluster status`: the replicas sharing the running gateway's storage. */
export function registerClusterCommand(program: Command): void {
  const cluster = program.command("cluster").description("the replicas sharing this gateway's storage");
  cluster
    .command("status")
    .description("replicas (id, url, version, age, last seen), session leases per replica, event lag")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const status = (await callGateway("/__openclaw__/cluster/status", "GET")) as ClusterStatus;
      if (options.json) printJson(status);
      else process.stdout.write(formatClusterStatus(status));
    });
}
