import { asObject, type Tool } from "../tool.js";
import { requiredString, requireWorkspace } from "../workspace/workspace-input.js";
import { applyPatchToWorkspace } from "./apply-to-workspace.js";
import { parsePatch } from "./parse-patch.js";

/** Multi-file edits in OpenClaw's patch format, confined to the workspace like `write`. */
export const applyPatchTool: Tool = {
  name: "apply_patch",
  description:
    "Applies a patch to workspace files, all or nothing. The input starts with '*** Begin Patch' and " +
    "ends with '*** End Patch'; between them, '*** Add File: <path>' followed by '+' lines, " +
    "'*** Delete File: <path>', or '*** Update File: <path>' (optionally followed by '*** Move to: <path>') " +
    "with '@@ [a line before the change]' hunks of ' ' context, '-' removed and '+' added lines; " +
    "'*** End of File' ends a hunk that must match the end of the file. Paths are relative to the workspace.",
  parameters: {
    type: "object",
    properties: {
      input: { type: "string", description: "The whole patch, from '*** Begin Patch' to '*** End Patch'." },
    },
    required: ["input"],
    additionalProperties: false,
  },
  async execute(input, context) {
    const fields = asObject(input, "apply_patch");
    const patch = requiredString(fields, "input", "apply_patch");
    const workspace = requireWorkspace(context);
    return applyPatchToWorkspace(workspace, parsePatch(patch));
  },
};
