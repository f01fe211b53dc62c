import type { ModelSpec } from "../models/types.js";
import type { ToolPolicy } from "../tools/index.js";

export interface ResolvedLimits {
  maxHeapMb: number;
  stackMb: number;
  maxConcurrent: number;
  maxQueue: number;
  /** How long a turn may wait for a slot (from arrival) before it is refused with a 503. */
  queueTimeoutMs: number;
  /** How long a turn may take from arrival, waiting included: what its client waits at most. */
  turnTimeoutMs: number;
  watchdogMs: number;
  busyNice: number;
}

export interface ResolvedRestartPolicy {
  maxCrashes: number;
  windowMs: number;
  backoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_LIMITS: ResolvedLimits = {
  maxHeapMb: 512,
  stackMb: 4,
  maxConcurrent: 4,
  maxQueue: 64,
  queueTimeoutMs: 30_000,
  turnTimeoutMs: 10 * 60_000,
  watchdogMs: 10_000,
  busyNice: 19,
};

/**
 * The longest a turn waits for a slot unless `queueTimeoutMs` says otherwise: 30 s, and never
 * more than half of `turnTimeoutMs` (which counts from arrival). Past half its budget a turn
 * would run with too little time left to finish, so a retryable 503 serves its client better; and
 * past 30 s of silence most clients and proxies (nginx, load balancers: 60 s) are giving up anyway.
 */
export const MAX_DEFAULT_QUEUE_TIMEOUT_MS = 30_000;

export function defaultQueueTimeoutMs(turnTimeoutMs: number): number {
  return Math.min(MAX_DEFAULT_QUEUE_TIMEOUT_MS, Math.floor(turnTimeoutMs / 2));
}

export const DEFAULT_RESTART_POLICY: ResolvedRestartPolicy = {
  maxCrashes: 5,
  windowMs: 60_000,
  backoffMs: 250,
  maxBackoffMs: 30_000,
};

/**
 * Everything an agent's runtime needs, as plain data: it is handed to a worker thread through
 * `workerData`, so no functions, no class instances, no config objects with secrets beyond the
 * model spec the agent itself uses.
 */
export interface AgentRuntimeSettings {
  agentId: string;
  model: ModelSpec;
  /** `model.fallbacks`, resolved like the primary; tried in order (see turn/model-fallback). */
  fallbackModels: ModelSpec[];
  systemPrompt?: string;
  maxSteps?: number;
  /** Allow-list of tool names; undefined means every available tool. */
  toolAllowList?: string[];
  /** OpenClaw tool policies: the agent's own (unless it has an allow-list), then the global one. */
  toolPolicies?: ToolPolicy[];
  /** Absolute paths of plugin modules. */
  pluginPaths: string[];
  subagents: { targets: string[]; maxDepth: number; maxFanOut: number };
  limits: ResolvedLimits;
  /** The agent's workspace on the host; `sandboxed`: its commands run in a Docker container. */
  workspace: {
    root: string;
    sandboxed: boolean;
    execTimeoutMs: number;
    /** `tools.process`: limits of `exec { background: true }` (defaults when absent). */
    processes?: { maxPerAgent: number; maxRuntimeMs: number; pooled?: boolean };
    /** How `exec` runs when not sandboxed. */
    host: HostExecSettings;
    /**
     * Host paths the agent's tools never see: the state dir, the config and its directory, file
     * secrets and their directories, the gateway user's HOME, host credentials, `sandbox.host.hide`.
     * Resolved in the gateway, which knows them; the worker only applies them.
     */
    hidden: string[];
  };
}

/** `agents.<id>.sandbox.host` with its defaults applied. */
export interface HostExecSettings {
  confinement: "bubblewrap" | "unconfined";
  network: "none" | "host";
  pidsLimit: number;
  cpuSeconds: number;
  maxFileMb: number;
  /** Where bwrap is looked for after /usr/bin and /usr/local/bin: the gateway's PATH (a worker's env is empty). */
  searchPath: string;
}

export const DEFAULT_HOST_EXEC: Omit<HostExecSettings, "searchPath"> = {
  confinement: "bubblewrap",
  network: "none",
  pidsLimit: 256,
  cpuSeconds: 60,
  maxFileMb: 256,
};

export const DEFAULT_EXEC_TIMEOUT_MS = 60_000;

export const DEFAULT_SUBAGENT_MAX_DEPTH = 2;
export const DEFAULT_SUBAGENT_MAX_FAN_OUT = 4;
