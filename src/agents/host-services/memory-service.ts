import { OpenClawError } from "../../errors.js";
import type { MemoryOperation } from "../../tools/index.js";
import type { HostServiceHandler } from "./host-service.js";

/** What a memory tool asks of the gateway's memory for its agent. */
export interface MemoryCall {
  agentId: string;
  sessionKey: string;
  op: MemoryOperation;
  input: unknown;
}

const OPERATIONS: readonly string[] = ["store", "search", "forget"] satisfies MemoryOperation[];

/** `memory.store|search|forget` for the asking turn's agent, answered by `answer`. */
export function memoryService(answer: (call: MemoryCall) => Promise<unknown>): HostServiceHandler {
  return ({ agentId, sessionKey, operation, input }) => {
    if (!OPERATIONS.includes(operation)) {
      throw new OpenClawError("OC_ERR_MEMORY_INPUT", `the memory service has no operation "${operation}"`, {
        hint: `it has: ${OPERATIONS.join(", ")}`,
      });
    }
    return answer({ agentId, sessionKey, op: operation as MemoryOperation, input });
  };
}
