import { asObject, type Tool, ToolInputError } from "../tool.js";
import { optionalBoolean, optionalString, requireWorkspace } from "../workspace/workspace-input.js";
import type { SessionProcesses } from "./session-processes.js";

const ACTIONS = ["poll", "log", "write", "send-keys", "kill", "list"] as const;

/** Keys `send-keys` understands, as the bytes a terminal would send. */
const KEYS: Record<string, string> = {
  Enter: "\n",
  Tab: "\t",
  Escape: "\u001b",
  "C-c": "\u0003",
  "C-d": "\u0004",
};

/** Looks after the background processes this session started with `exec { background: true }`. */
export const processTool: Tool = {
  name: "process",
  description:
    "Manages background processes started by exec with background: true, in this session only. " +
    "action poll: new output since the last poll and the status (running, exited with exitCode, killed); " +
    "log: the last output kept; write: send data to its stdin (close: true ends stdin); " +
    "send-keys: send keys (Enter, Tab, Escape, C-c, C-d or literal text); kill: stop it and all it started; " +
    "list: this session's processes.",
  parameters: {
    type: "object",
    properties: {
      action: { type: "string", enum: [...ACTIONS] },
      sessionId: { type: "string", description: "The id exec returned (every action but list)." },
      data: { type: "string", description: "For write: the text to send to stdin." },
      keys: { type: "array", items: { type: "string" }, description: "For send-keys." },
      close: { type: "boolean", description: "For write: close stdin after the data." },
    },
    required: ["action"],
    additionalProperties: false,
  },
  async execute(input, context) {
    const fields = asObject(input, "process");
    const action = fields.action;
    if (typeof action !== "string" || !(ACTIONS as readonly string[]).includes(action)) {
      throw new ToolInputError(`process needs an action: one of ${ACTIONS.join(", ")}`);
    }
    const processes = sessionProcesses(requireWorkspace(context).processes);
    if (action === "list") return { processes: processes.list() };
    const sessionId = optionalString(fields, "sessionId", "process", "");
    if (!sessionId) throw new ToolInputError(`process ${action} needs a sessionId (see process list)`);
    switch (action) {
      case "poll":
        return processes.poll(sessionId);
      case "log":
        return processes.log(sessionId);
      case "kill":
        return processes.kill(sessionId);
      case "write": {
        const data = optionalString(fields, "data", "process", "");
        await processes.write(sessionId, data, { close: optionalBoolean(fields, "close", "process", false) });
        return { sessionId, written: data.length };
      }
      default: {
        const keys = fields.keys;
        if (!Array.isArray(keys) || !keys.every((key) => typeof key === "string")) {
          throw new ToolInputError("process send-keys needs keys: an array of strings");
        }
        const data = keys.map((key: string) => KEYS[key] ?? key).join("");
        await processes.write(sessionId, data);
        return { sessionId, written: data.length };
      }
    }
  },
};

export function sessionProcesses(processes: SessionProcesses | undefined): SessionProcesses {
  if (!processes) throw new ToolInputError("this agent has no background processes");
  return processes;
}
