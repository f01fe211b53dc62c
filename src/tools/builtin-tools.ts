import { asObject, type Tool, ToolInputError } from "./tool.js";

/** Returns its input unchanged: the smallest end-to-end probe of the tool path. */
export const echoTool: Tool = {
  name: "echo",
  description: "Returns the given text unchanged.",
  parameters: {
    type: "object",
    properties: { text: { type: "string", description: "Text to echo back." } },
    required: ["text"],
    additionalProperties: false,
  },
  async execute(input) {
    const { text } = asObject(input, "echo");
    if (typeof text !== "string") throw new ToolInputError("echo needs a string field `text`");
    return text;
  },
};

/** Tells the model the current time, which it cannot know otherwise. */
export const currentTimeTool: Tool = {
  name: "current_time",
  description: "Returns the current date and time in ISO 8601 (UTC) and the gateway's time zone.",
  parameters: { type: "object", properties: {}, additionalProperties: false },
  async execute() {
    return {
      iso: new Date().toISOString(),
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    };
  },
};

export const BUILTIN_TOOLS: readonly Tool[] = [echoTool, currentTimeTool];
