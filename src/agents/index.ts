export type { CredentialReader, CredentialRequest, ProviderFetch } from "../models/index.js";
export type {
  AgentPlacement,
  AgentRunner,
  RunnerStats,
  RunnerTurnInput,
  SubagentDelegate,
  SubagentRequest,
} from "./agent-runner.js";
export {
  type AgentSnapshot,
  type AgentState,
  AgentSupervisor,
  type AgentSupervisorOptions,
  type TurnLease,
} from "./agent-supervisor.js";
export { agentMayUseMcpServer, agentOffersMcpTool, agentOffersTool } from "./agent-tools.js";
export {
  type ChatInput,
  ChatService,
  type ChatTurnOptions,
  type ChatTurnResult,
  type OutputRedactor,
  type TurnObserver,
  type TurnOrigin,
  type TurnOutcomeKind,
  type TurnRecord,
  type TurnRouter,
} from "./chat-service.js";
export {
  CANVAS_SERVICE,
  type CanvasCall,
  canvasService,
  type HostServiceCall,
  type HostServiceCaller,
  type HostServiceHandler,
  HostServiceRegistry,
  MEMORY_SERVICE,
  MESSAGE_SERVICE,
  type MemoryCall,
  type MessageSend,
  memoryService,
  messageService,
  SANDBOX_SERVICE,
  type SandboxExecRequest,
  type SandboxHost,
  SESSIONS_SERVICE,
  SUBAGENTS_SERVICE,
  SubagentRuns,
  sandboxService,
  subagentsService,
} from "./host-services/index.js";
export { InlineAgentRunner } from "./inline-runner.js";
export {
  type RunEvent,
  type RunRecord,
  type RunRequest,
  type RunResult,
  type RunRunners,
  RunService,
  type RunServiceOptions,
  type StartedRun,
  type TurnExecutor,
} from "./run-service.js";
export { DEV_MODEL_ID, subagentTargets } from "./runtime-settings.js";
export { DEFAULT_MAX_STEPS, runAgentTurn, type TurnRequest } from "./turn/run-turn.js";
export type {
  ClientTurnEvent,
  ModelCallRecord,
  TurnEvent,
  TurnEventSink,
  TurnOutcome,
} from "./turn/turn-events.js";
export { flushCompileCache } from "./worker/compile-cache.js";
export type { PoolSnapshot, PoolThreadSnapshot } from "./worker/worker-pool.js";
