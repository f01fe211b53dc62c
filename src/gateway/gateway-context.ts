import type { EventEmitter } from "node:events";
import type { AgentSupervisor, ChatService } from "../agents/index.js";
import type { SessionCanvases } from "../canvas/index.js";
import type { OpenClawConfig } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import type { AgentMemoryStatus, MemoryRepairReport } from "../memory/index.js";
import type { GatewayMetrics } from "../metrics/index.js";
import type { ReloadReport, SecretListing } from "../secrets/index.js";
import type { RetentionSweep, TranscriptStore } from "../sessions/index.js";
import type { StateDirHealth } from "../state-dir-health/index.js";
import type { UsageLedger } from "../usage/index.js";
import type { GatewaySecurity } from "./gateway-security.js";
import type { AppliedConfig, PendingConfig } from "./held-config.js";
import type { ClientPresence } from "./ws/client-presence.js";

/** What routes and WebSocket methods may use; the Gateway class owns the lifecycle. */
export interface GatewayContext {
  readonly version: string;
  readonly startedAt: number;
  readonly configPath: string;
  readonly stateDir: string;
  readonly supervisor: AgentSupervisor;
  readonly chat: ChatService;
  readonly transcripts: TranscriptStore;
  /** Transcript retention: what its last sweep removed, for status. */
  readonly retention: { lastSweep(): RetentionSweep | undefined };
  /** Per-turn token counts and model latency (`openclaw usage`). */
  readonly usage: UsageLedger;
  /** Whether writes to the state dir work now (readiness, status, 507s). */
  readonly stateDirHealth: StateDirHealth;
  readonly logger: Logger;
  /** Prometheus series of this gateway (`GET /metrics`). */
  readonly metrics: GatewayMetrics;
  /** Broadcast bus: `chat` and `agent` events for every connected operator. */
  readonly events: EventEmitter;
  /** Each session's canvas, drawn by its agent's canvas tool. */
  readonly canvases: SessionCanvases;
  /** Auth, paired nodes, capabilities and canvases. */
  readonly security: GatewaySecurity;
  /** The WebSocket clients connected now (`system-presence`). */
  readonly presence: ClientPresence;
  /** Masks credential values in anything the gateway sends or writes. */
  readonly redactor: { redact(text: string): string };
  config(): OpenClawConfig;
  /** External secrets with their status and bindings: never a value. */
  secrets(): SecretListing[];
  reloadSecrets(names?: readonly string[]): Promise<ReloadReport>;
  memoryStatus(): AgentMemoryStatus[] | undefined;
  resyncMemory(agentId?: string): Promise<string[]>;
  /** `openclaw memory repair <agent>`: rebuilds a corrupt store (a healthy one only with `force`). */
  repairMemory(agentId: string, options?: { force?: boolean }): Promise<MemoryRepairReport>;
  configLoadedAt(): number;
  /** The config change the watcher held back because it weakens the boundary, if any. */
  pendingConfig(): PendingConfig | undefined;
  /** sha256 of the bytes the running config came from; undefined when it is the defaults. */
  runningConfigHash(): string | undefined;
  /** Re-reads the config file and applies all of it, weakening included: an operator's decision. */
  applyConfigFile(options?: { baseHash?: string }): Promise<AppliedConfig>;
  /** The address the server listens on, once it does. */
  listening(): { host: string; port: number } | undefined;
  isShuttingDown(): boolean;
}

/** The agent a request names, or the first configured one when it names none. */
export function defaultAgentId(context: GatewayContext): string {
  return context.supervisor.agentIds()[0] ?? "main";
}
