import type { ToolContext } from "./tool.js";
import { ToolInputError } from "./tool.js";

/**
 * The gateway's services (sandbox, memory, canvas, ...) as a tool sees them, wherever the agent's
 * thread is: on the gateway's own thread the call goes straight to the gateway's registry, in a
 * worker it crosses the thread over the host-call relay. The gateway adds who is asking (the
 * turn's agent and session, from its own records); a tool names only the service, the operation
 * and its input. A call is aborted with its turn; it rejects with the service's typed error
 * (`OpenClawError`, its code intact across the thread boundary).
 */
export interface HostAccess {
  /** `input` and the answer must be plain data (structured-clonable): they may cross a thread. */
  call(
    service: string,
    operation: string,
    input: unknown,
    options?: { signal?: AbortSignal },
  ): Promise<unknown>;
}

/** The tool context's host access, or a tool error when the agent's host offers none. */
export function requireHost(context: ToolContext, toolName: string): HostAccess {
  if (!context.host) throw new ToolInputError(`${toolName}: this agent cannot reach the gateway's services`);
  return context.host;
}
