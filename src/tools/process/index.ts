export { BackgroundProcesses, DEFAULT_PROCESS_LIMITS, type ProcessLimits } from "./background-processes.js";
export { OutputBuffer } from "./output-buffer.js";
export { processTool } from "./process-tool.js";
export type { ProcessInfo, ProcessOutput, SessionProcesses } from "./session-processes.js";
