import { isOpenClawError } from "../../errors.js";
import { sessionProcesses } from "../process/process-tool.js";
import { asObject, type Tool, ToolInputError } from "../tool.js";
import {
  optionalBoolean,
  optionalPositiveInteger,
  requiredString,
  requireWorkspace,
} from "./workspace-input.js";
import type { CommandResult } from "./workspace-types.js";

/** No single command may hold a turn for longer than this, whatever the model asks for. */
export const MAX_EXEC_TIMEOUT_MS = 600_000;
/** Cap on each of stdout and stderr, so that one noisy command cannot flood the context. */
export const EXEC_OUTPUT_BYTES = 64 * 1024;

/** Runs a shell command in the workspace, through the agent's runner: sandboxed or on the host. */
export const execTool: Tool = {
  name: "exec",
  description:
    "Runs a shell command (/bin/sh -c) with the workspace root as working directory and returns its " +
    "exit code, stdout and stderr (each capped at 64 KB; truncated says when). The command is killed " +
    `after timeoutMs (default set by the gateway, at most ${MAX_EXEC_TIMEOUT_MS} ms), together with ` +
    "every process it started. sandboxed says whether it ran in a sandbox or directly on the host; " +
    "confined whether it was kept from the host's files, processes and network (on the host: under " +
    "bubblewrap, with the workspace writable, the rest read-only and the gateway's files hidden).",
  parameters: {
    type: "object",
    properties: {
      command: { type: "string", description: "The shell command line to run." },
      timeoutMs: {
        type: "integer",
        minimum: 1,
        maximum: MAX_EXEC_TIMEOUT_MS,
        description: "Kill the command after this many milliseconds.",
      },
      background: {
        type: "boolean",
        description: "Start it and return { sessionId } at once; follow it with the process tool.",
      },
      timeoutSeconds: {
        type: "integer",
        minimum: 1,
        description:
          "With background: kill it after this many seconds (capped by the gateway's maximum runtime).",
      },
    },
    required: ["command"],
    additionalProperties: false,
  },
  async execute(input, context) {
    const fields = asObject(input, "exec");
    const command = requiredString(fields, "command", "exec");
    const timeoutMs = optionalPositiveInteger(fields, "timeoutMs", "exec");
    const workspace = requireWorkspace(context);
    if (optionalBoolean(fields, "background", "exec", false)) {
      const seconds = optionalPositiveInteger(fields, "timeoutSeconds", "exec");
      const processes = sessionProcesses(workspace.processes);
      const started = await processes.start(command, seconds ? { timeoutMs: seconds * 1000 } : {});
      return {
        sessionId: started.sessionId,
        pid: started.pid,
        status: started.status,
        confined: workspace.confined,
      };
    }
    let result: CommandResult;
    try {
      result = await workspace.runner.run({
        command,
        timeoutMs: Math.min(timeoutMs ?? workspace.execTimeoutMs, MAX_EXEC_TIMEOUT_MS),
        maxOutputBytes: EXEC_OUTPUT_BYTES,
        signal: context.signal,
      });
    } catch (error) {
      // Confinement unavailable, say: the model (and the operator reading the turn) get the fix.
      if (isOpenClawError(error)) throw new ToolInputError(error.describe());
      throw error;
    }
    // Short fields first: if the turn loop cuts a long result, it cuts output, not the exit code.
    return {
      exitCode: result.exitCode,
      timedOut: result.timedOut,
      truncated: result.truncated,
      durationMs: result.durationMs,
      sandboxed: workspace.sandboxed,
      confined: workspace.confined,
      stdout: result.stdout,
      stderr: result.stderr,
    };
  },
};
