export { applyHunks } from "./apply-hunks.js";
export { applyPatchTool } from "./apply-patch-tool.js";
export { applyPatchToWorkspace, type PatchSummary } from "./apply-to-workspace.js";
export { parsePatch } from "./parse-patch.js";
export type { Hunk, HunkLine, PatchOperation } from "./patch-types.js";
