import type { AgentSnapshot } from "../agents/index.js";
import type { ChannelAccountReport } from "../channels/index.js";
import type { OpenClawConfig } from "../config/index.js";
import type { McpServerStatus } from "../mcp/index.js";
import type { AgentMemoryStatus } from "../memory/index.js";
import type { SecretListing } from "../secrets/index.js";
import type { RetentionSweep } from "../sessions/index.js";
import { summarizeRetention } from "../sessions/index.js";
import type { StateDirHealth } from "../state-dir-health/index.js";
import { readConfigFileState } from "./config-file-state.js";
import type { GatewaySecurity } from "./gateway-security.js";
import type { PendingConfig } from "./held-config.js";
import { describePendingConfig } from "./held-config.js";

const MB = 1024 * 1024;

/** One agent as operators see it (status, `agents list`): where it runs and how it is doing. */
export function describeAgent(agent: AgentSnapshot) {
  return {
    id: agent.id,
    name: agent.name,
    runtime: agent.runtime,
    threadBound: agent.threadBound,
    placement: agent.placement,
    threadId: agent.threadId,
    state: agent.state,
    reason: agent.reason,
    model: agent.model,
    heapUsedMb: agent.heapUsedBytes === undefined ? undefined : round(agent.heapUsedBytes / MB),
    heapLimitMb: agent.heapLimitBytes === undefined ? undefined : round(agent.heapLimitBytes / MB),
    eventLoopUtilization:
      agent.eventLoopUtilization === undefined ? undefined : round(agent.eventLoopUtilization),
    cpuDemoted: agent.cpuDemoted,
    turnsInFlight: agent.turnsInFlight,
    queueDepth: agent.queueDepth,
    turnsCompleted: agent.turnsCompleted,
    turnsFailed: agent.turnsFailed,
    turnsRejected: agent.turnsRejected,
    recentTurns: agent.recentTurns,
    recentRejected: agent.recentRejected,
    restarts: agent.restarts,
    recentRestarts: agent.recentRestarts,
    lastError: agent.lastError,
    limits: agent.limits,
  };
}

/** One external secret as status shows it: where it comes from and whether it works, never its value. */
export function describeSecret(secret: SecretListing) {
  return {
    name: secret.name,
    source: secret.source,
    detail: secret.detail,
    status: secret.status,
    error: secret.error,
    lastRotationAt: secret.lastRotationAt,
    rotations: secret.rotations,
    bindings: secret.bindings.map((binding) => binding.path),
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** What the status report reads, each from the part that owns it. */
export interface StatusSources {
  version: string;
  startedAt: number;
  configPath: string;
  config(): OpenClawConfig;
  configLoadedAt(): number;
  runningConfigHash(): string | undefined;
  pendingConfig(): PendingConfig | undefined;
  listening(): { host: string; port: number } | undefined;
  chat: { activeRunCount(): number };
  supervisor: { list(): AgentSnapshot[] };
  secrets(): SecretListing[];
  memoryStatus(): AgentMemoryStatus[] | undefined;
  retention: { lastSweep(): RetentionSweep | undefined };
  stateDirHealth: Pick<StateDirHealth, "snapshot">;
  security: Pick<GatewaySecurity, "authReport">;
  /** Each channel account: state, why it is degraded, inbox depth. */
  channels(): Promise<ChannelAccountReport[]>;
  /** Each agent's MCP servers (mcp.servers): running, failed with why, stopped. */
  mcp?(): McpServerStatus[];
}

/** `/__openclaw__/status` and the `status` method: what is running, never a secret. */
export async function buildStatusReport(context: StatusSources) {
  const config = context.config();
  const file = await readConfigFileState(context.configPath, context.runningConfigHash());
  const agents = context.supervisor.list();
  return {
    ok: true,
    service: "openclaw-gateway",
    version: context.version,
    pid: process.pid,
    node: process.versions.node,
    startedAt: new Date(context.startedAt).toISOString(),
    uptimeMs: Math.round(Date.now() - context.startedAt),
    mode: config.gateway.mode,
    // Where it really listens: `--host`/`--port` (port 0 included) win over the config.
    listen: context.listening() ?? { host: config.gateway.host, port: config.gateway.port },
    configPath: context.configPath,
    configLoadedAt: new Date(context.configLoadedAt()).toISOString(),
    // A file change the watcher held because it weakens the boundary: `openclaw config apply`.
    // What runs (the hash of its bytes) and whether the file on disk is another version.
    config: {
      hash: context.runningConfigHash() ?? null,
      file: { hash: file.hash, valid: file.valid, differs: file.differs },
      pending: describePendingConfig(context.pendingConfig()),
    },
    activeRuns: context.chat.activeRunCount(),
    agents: agents.map(describeAgent),
    secrets: context.secrets().map(describeSecret),
    memory: context.memoryStatus() ?? null,
    // What transcript retention last removed (sessions.retention).
    sessions: { retention: summarizeRetention(context.retention.lastSweep()) },
    // Whether the gateway can save what it is asked to: while not, turns answer 507.
    stateDir: context.stateDirHealth.snapshot(),
    auth: context.security.authReport(),
    channels: await context.channels(),
    mcp: { servers: Object.keys(config.mcp.servers), sessions: context.mcp?.() ?? [] },
  };
}

export type StatusReport = Awaited<ReturnType<typeof buildStatusReport>>;
