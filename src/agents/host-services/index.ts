export { CANVAS_SERVICE, MEMORY_SERVICE, SESSIONS_SERVICE, SUBAGENTS_SERVICE } from "../../tools/index.js";
export { type CanvasCall, canvasService } from "./canvas-service.js";
export type { HostServiceCall, HostServiceCaller, HostServiceHandler } from "./host-service.js";
export { HostServiceRegistry } from "./host-service-registry.js";
export { type MemoryCall, memoryService } from "./memory-service.js";
export { MESSAGE_SERVICE, type MessageSend, messageService } from "./message-service.js";
export {
  SANDBOX_SERVICE,
  type SandboxExecRequest,
  type SandboxHost,
  sandboxService,
} from "./sandbox-service.js";
export { SubagentRuns, subagentsService } from "./subagent-runs.js";
