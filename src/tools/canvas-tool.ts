import { requireHost } from "./host-access.js";
import { asObject, type Tool, ToolInputError } from "./tool.js";

/** The host service of the sessions' canvases: the gateway validates and shows them. */
export const CANVAS_SERVICE = "canvas";

export const canvasTool: Tool = {
  hostService: CANVAS_SERVICE,
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
    const host = requireHost(context, "canvas");
    if (typeof fields.action !== "string") throw new ToolInputError("canvas needs `action`");
    try {
      return await host.call(CANVAS_SERVICE, fields.action, fields);
    } catch (error) {
      // The gateway's refusal (an invalid A2UI message, say) is the model's to fix.
      throw new ToolInputError(error instanceof Error ? error.message : String(error));
    }
  },
};
