import type { ToolDescriptor } from "../models/types.js";

export interface ToolContext {
  agentId: string;
  sessionKey: string;
  signal: AbortSignal;
}

/**
 * A tool an agent can call. Tools validate their own input: the model's arguments are
 * untrusted JSON, whatever the JSON Schema in `parameters` promises.
 */
export interface Tool extends ToolDescriptor {
  execute(input: unknown, context: ToolContext): Promise<unknown>;
}

/** A tool failure that is reported to the model as a tool error, not as a crashed turn. */
export class ToolInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ToolInputError";
  }
}

export function asObject(input: unknown, toolName: string): Record<string, unknown> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ToolInputError(`${toolName} expects a JSON object as input`);
  }
  return input as Record<string, unknown>;
}
