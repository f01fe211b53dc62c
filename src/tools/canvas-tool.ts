import { asObject, type Tool, ToolInputError } from "./tool.js";

/** The session's canvas as the `canvas` tool sees it; the gateway validates and shows it. */
export interface CanvasAccess {
  call(action: string, input: Record<string, unknown>): Promise<unknown>;
}

export const canvasTool: Tool = {
  name: "canvas",
  description:
    "Draws on this session's canvas, shown live to the people watching it. Actions: " +
    "`present` shows `html` (in a sandboxed frame, no network); `a2ui` pushes A2UI v0.8 `messages` " +
    "(surfaceUpdate, dataModelUpdate, beginRendering, deleteSurface); a button's action comes back to you " +
    "as a message in this session; `reset` clears the canvas; `snapshot` describes what it shows.",
  parameters: {
    type: "object",
    properties: {
      action: { type: "string", enum: ["present", "a2ui", "reset", "snapshot"] },
      html: { type: "string", description: "For present: the page to show." },
      messages: { type: "array", items: { type: "object" }, description: "For a2ui: A2UI v0.8 messages." },
    },
    required: ["action"],
    additionalProperties: false,
  },
  async execute(input, context) {
    const fields = asObject(input, "canvas");
    if (!context.canvas) throw new ToolInputError("canvas: this agent has no canvas");
    if (typeof fields.action !== "string") throw new ToolInputError("canvas needs `action`");
    try {
      return await context.canvas.call(fields.action, fields);
    } catch (error) {
      // The gateway's refusal (an invalid A2UI message, say) is the model's to fix.
      throw new ToolInputError(error instanceof Error ? error.message : String(error));
    }
  },
};
