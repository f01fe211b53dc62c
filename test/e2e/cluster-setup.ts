import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type PostgresServer, startPostgres } from "../../src/storage/postgres/testing/postgres-server.js";
import { type RunningGateway, startGateway, type TempHome, tempHome } from "./harness.js";

/** One gateway process of a cluster test, on its own state dir. */
export interface ClusterReplica {
  readonly index: number;
  readonly home: TempHome;
  /** The running process; undefined once killed or stopped. */
  gateway: RunningGateway | undefined;
  /** What the last process of this replica printed (kept after a kill, for diagnostics). */
  output(): string;
}

export interface GatewayCluster {
  readonly replicas: ClusterReplica[];
  /** A directory the replicas share (secret files the test writes). */
  readonly sharedDir: string;
  /** The running gateway of replica `index` (throws when it is not running). */
  gateway(index: number): RunningGateway;
  /** SIGKILLs replica `index` (no clean stop: its leases are left to lapse); resolves once it exited. */
  kill(index: number): Promise<void>;
  /** Stops every running replica, then PostgreSQL, then removes the homes. */
  stop(): Promise<void>;
}

/**
 * `count` real gateway processes (`openclaw gateway run`), each with its own state dir, all on one
 * real PostgreSQL database (`storage.kind: "postgres"`, its URL from an env secret, as a
 * deployment would give it): a cluster as the README describes it. `config(index, sharedDir)` is
 * each replica's config; the storage and secret keys are added here. Replicas start one after
 * the other, so replica 0 is the first to campaign for any lease.
 */
export async function startGatewayCluster(options: {
  count: number;
  config: (index: number, sharedDir: string) => Record<string, unknown>;
  prepare?: (sharedDir: string) => Promise<void>;
}): Promise<GatewayCluster> {
  const server: PostgresServer = await startPostgres();
  const sharedDir = await mkdtemp(join(tmpdir(), "openclaw-e2e-cluster-"));
  const replicas: ClusterReplica[] = [];
  const cluster: GatewayCluster = {
    replicas,
    sharedDir,
    gateway(index) {
      const gateway = replicas[index]?.gateway;
      if (!gateway) throw new Error(`replica ${index} is not running`);
      return gateway;
    },
    async kill(index) {
      const replica = replicas[index];
      const gateway = replica?.gateway;
      if (!replica || !gateway) return;
      replica.gateway = undefined;
      if (gateway.process.exitCode !== null || gateway.process.signalCode !== null) return;
      const exited = new Promise((resolve) => gateway.process.once("exit", resolve));
      gateway.process.kill("SIGKILL");
      await exited;
    },
    async stop() {
      await Promise.all(replicas.map((replica) => replica.gateway?.stop().catch(() => undefined)));
      await server.stop().catch(() => undefined);
      await Promise.all(replicas.map((replica) => replica.home.cleanup()));
      await rm(sharedDir, { recursive: true, force: true });
    },
  };
  try {
    await options.prepare?.(sharedDir);
    const url = await server.createDatabase();
    for (let index = 0; index < options.count; index++) {
      const config = options.config(index, sharedDir);
      const home = await tempHome({
        ...config,
        externalSecrets: {
          ...((config.externalSecrets as Record<string, unknown> | undefined) ?? {}),
          "pg-url": { source: "env", key: "OPENCLAW_PG_URL" },
        },
        storage: { kind: "postgres", url: { $secret: "pg-url" }, poolSize: 4 },
      });
      home.env.OPENCLAW_PG_URL = url;
      let last: RunningGateway | undefined;
      const replica: ClusterReplica = { index, home, gateway: undefined, output: () => last?.output() ?? "" };
      replicas.push(replica);
      // Three gateways and PostgreSQL starting on two shared cores: more room than one gateway's 20 s.
      last = await startGateway(home, [], { readyTimeoutMs: 60_000 });
      replica.gateway = last;
    }
    return cluster;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
