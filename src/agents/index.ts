export type { AgentPlacement, AgentRunner, RunnerTurnInput } from "./agent-runner.js";
export {
  type AgentSnapshot,
  type AgentState,
  AgentSupervisor,
  type CredentialReader,
  DEV_MODEL_ID,
} from "./agent-supervisor.js";
export { type ChatInput, ChatService, type ChatTurnOptions, type ChatTurnResult } from "./chat-service.js";
export { InlineAgentRunner } from "./inline-runner.js";
export { DEFAULT_MAX_STEPS, runAgentTurn, type TurnRequest } from "./turn/run-turn.js";
export type { TurnEvent, TurnEventSink, TurnOutcome } from "./turn/turn-events.js";
