import type { ResolvedAgent } from "../../config/index.js";
import { OpenClawError } from "../../errors.js";
import {
  type CommandRequest,
  type CommandResult,
  EXEC_OUTPUT_BYTES,
  MAX_EXEC_TIMEOUT_MS,
} from "../../tools/index.js";
import type { HostServiceHandler } from "./host-service.js";

/** The host service that runs a sandboxed agent's commands in its container. */
export const SANDBOX_SERVICE = "sandbox";

/** A command of a sandboxed agent: which agent, which session (per-session scope), what to run. */
export interface SandboxExecRequest extends Omit<CommandRequest, "signal"> {
  agentId: string;
  sessionKey: string;
}

/** The gateway's Docker sandboxes, as the supervisor (prepare, release) and `exec` see them. */
export interface SandboxHost {
  /** Makes the agent's container ready (engine, image, binds); throws a typed error if it cannot. */
  prepare(
    agentId: string,
    docker: NonNullable<ResolvedAgent["sandbox"]>["docker"],
    workspaceRoot: string,
  ): Promise<void>;
  exec(request: SandboxExecRequest): Promise<CommandResult>;
  /** The agent is gone (removed, or no longer sandboxed): its containers go too. */
  release(agentId: string): Promise<void>;
}

/**
 * `sandbox.exec`: the command runs in the asking turn's agent's container (its session's, with
 * per-session scope). The input comes from the agent's thread, so it is checked here and its
 * timeout and output cap are held to what the `exec` tool itself may ask for.
 */
export function sandboxService(sandbox: Pick<SandboxHost, "exec">): HostServiceHandler {
  return ({ agentId, sessionKey, operation, input }) => {
    if (operation !== "exec") {
      throw new OpenClawError("OC_ERR_BAD_REQUEST", `the sandbox service has no operation "${operation}"`, {
        hint: 'it has one: "exec"',
      });
    }
    return sandbox.exec({ ...commandOf(input), agentId, sessionKey });
  };
}

function commandOf(input: unknown): Omit<CommandRequest, "signal"> {
  const fields = typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  if (typeof fields.command !== "string" || fields.command === "") {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "sandbox exec needs `command`, a non-empty string");
  }
  return {
    command: fields.command,
    timeoutMs: atMost(fields.timeoutMs, MAX_EXEC_TIMEOUT_MS, "timeoutMs"),
    maxOutputBytes: atMost(fields.maxOutputBytes, EXEC_OUTPUT_BYTES, "maxOutputBytes"),
  };
}

function atMost(value: unknown, max: number, name: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", `sandbox exec needs \`${name}\`, a positive integer`);
  }
  return Math.min(value, max);
}
