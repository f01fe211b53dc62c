/**
 * The parts of the gateway protocol the Control UI reads. Shapes follow src/gateway/ws and
 * src/gateway/status-report.ts; every field the UI does not strictly need is optional, so an
 * older or newer gateway degrades to "not shown" rather than to a crash.
 */

export interface ProtocolError {
  code: string;
  message: string;
  details?: { code?: string; reason?: string; [key: string]: unknown };
  retryable?: boolean;
  retryAfterMs?: number;
}

export type ServerFrame =
  | { type: "res"; id: string; ok: true; payload: unknown }
  | { type: "res"; id: string; ok: false; error: ProtocolError }
  | { type: "event"; event: string; payload: unknown; seq?: number };

export interface HelloOk {
  type: "hello-ok";
  protocol: number;
  server?: { version?: string; connId?: string };
  features?: { methods?: string[]; events?: string[] };
  snapshot?: { uptimeMs?: number };
  auth?: { role?: string; scopes?: string[] };
}

export interface AgentSummary {
  id: string;
  name?: string;
  runtime?: string;
  placement?: string;
  threadId?: number;
  state: string;
  reason?: string;
  /** `agents.list` sends the protocol's `{ primary }`; `status` sends the plain id. */
  model?: string | { primary?: string };
  heapUsedMb?: number;
  heapLimitMb?: number;
  eventLoopUtilization?: number;
  cpuDemoted?: boolean;
  turnsInFlight?: number;
  queueDepth?: number;
  turnsCompleted?: number;
  turnsFailed?: number;
  restarts?: number;
  lastError?: string;
}

export interface AgentsListResult {
  defaultId?: string;
  agents: AgentSummary[];
}

export interface SecretSummary {
  name: string;
  source: string;
  detail?: string;
  status: string;
  error?: string;
  hint?: string;
  /** `secrets.list` sends `{ path, reason }`; `status` sends plain paths. */
  bindings?: ({ path: string; reason?: string } | string)[];
}

export interface StatusReport {
  version?: string;
  uptimeMs?: number;
  startedAt?: string;
  mode?: string;
  listen?: { host?: string; port?: number };
  activeRuns?: number;
  /** Not sent by every gateway version: read when present. */
  auth?: { mode?: string };
  tls?: { enabled?: boolean; fingerprint?: string } | boolean;
}

/** `chat` event: one run's text, streamed (`delta`), then `final`, `error` or `aborted`. */
export interface ChatEventPayload {
  runId: string;
  sessionKey: string;
  agentId?: string;
  seq?: number;
  state: "delta" | "final" | "error" | "aborted";
  deltaText?: string;
  message?: { role?: string; content?: { type: string; text?: string }[] };
  errorMessage?: string;
  stopReason?: string;
}

/** `agent` event with `stream: "tool"`: a tool call starting, then its result. */
export interface AgentToolEventPayload {
  runId: string;
  seq?: number;
  stream: "tool";
  data: {
    phase: "start" | "result";
    name: string;
    toolCallId: string;
    args?: unknown;
    result?: unknown;
    isError?: boolean;
    sessionKey?: string;
    agentId?: string;
  };
}

/** `canvas.get` answer and `canvas` event: the session's whole canvas each time. */
export interface CanvasPayload {
  sessionKey: string;
  agentId?: string;
  html?: string | null;
  a2ui?: unknown[];
  updatedAt?: string | null;
}

/** One pending DM access request of `channels.pairing.list`; `requestId` is the pairing code here. */
export interface ChannelPairingRequest {
  requestId: string;
  channel: string;
  channelLabel?: string;
  accountId: string;
  accountLabel?: string;
  senderId: string;
  senderLabel?: string;
  metadata?: Record<string, string>;
  createdAt: string;
  expiresAt: string;
  notifySupported?: boolean;
}

export interface ChannelsPairingListResult {
  requests: ChannelPairingRequest[];
}

export interface ChannelsPairingApproveResult {
  requestId: string;
  senderId: string;
  notification?: "not-requested" | "sent" | "unsupported" | "failed";
}

/** One account of `channels.status`; `state` and `detail` are this gateway's own, read when present. */
export interface ChannelAccountSnapshot {
  accountId: string;
  name?: string;
  healthState?: string;
  state?: string;
  detail?: string;
  lastError?: string | null;
  identity?: { username?: string; name?: string };
  inboxDepth?: number;
}

/** A conversation bound to a helper session, as the gateway lists it under its channel. */
export interface ThreadBindingView {
  channel: string;
  accountId: string;
  peer: string;
  threadId?: string;
  agentId: string;
  sessionKey: string;
  mode: "session" | "run";
  expiresAt: number | null;
  expiresBy: string;
}

export interface ChannelsStatusResult {
  channelOrder?: string[];
  channelLabels?: Record<string, string>;
  channels?: Record<string, { threadBindings?: ThreadBindingView[] } | undefined>;
  channelAccounts?: Record<string, ChannelAccountSnapshot[]>;
}
