import { asObject, type Tool, ToolInputError } from "../tool.js";
import { locateInWorkspace } from "./confine.js";
import { toToolError } from "./file-errors.js";
import { looksBinary, openRegularFile } from "./open-regular-file.js";
import { optionalBoolean, requiredString, requireWorkspace } from "./workspace-input.js";
import { replaceFileAtomically } from "./workspace-write.js";

/** Edits hold the whole file in memory twice over; beyond this, rewrite it with write instead. */
const MAX_EDIT_BYTES = 8 * 1024 * 1024;

/** Replaces exact text in a workspace file: the smallest change that leaves the rest untouched. */
export const editTool: Tool = {
  name: "edit",
  description:
    "Replaces exact text in a UTF-8 text file of the workspace. oldText must match the file exactly, " +
    "whitespace included, and must occur once; include enough surrounding lines to make it unique, " +
    "or set replaceAll to replace every occurrence. Returns the number of replacements.",
  parameters: {
    type: "object",
    properties: {
      path: { type: "string", description: "File path, relative to the workspace root." },
      oldText: { type: "string", description: "The exact text to replace." },
      newText: { type: "string", description: "The text to put in its place." },
      replaceAll: {
        type: "boolean",
        default: false,
        description: "Replace every occurrence instead of requiring exactly one.",
      },
    },
    required: ["path", "oldText", "newText"],
    additionalProperties: false,
  },
  async execute(input, context) {
    const fields = asObject(input, "edit");
    const path = requiredString(fields, "path", "edit");
    const oldText = requiredString(fields, "oldText", "edit");
    const newText = requiredString(fields, "newText", "edit", { allowEmpty: true });
    const replaceAll = optionalBoolean(fields, "replaceAll", "edit", false);
    const workspace = requireWorkspace(context);
    try {
      const location = await locateInWorkspace(workspace.root, path, {
        forWrite: true,
        hidden: workspace.hidden ?? [],
      });
      const { text, mode } = await readTextForEdit(location.hostPath, path);
      const parts = text.split(oldText);
      const replacements = parts.length - 1;
      if (replacements === 0) {
        throw new ToolInputError(
          `oldText was not found in "${path}"; read the file and copy the text exactly, whitespace included`,
        );
      }
      if (replacements > 1 && !replaceAll) {
        throw new ToolInputError(
          `oldText occurs ${replacements} times in "${path}"; include more surrounding text to make it ` +
            "unique, or set replaceAll to true",
        );
      }
      // Keep the file's permissions: an edited script must stay executable.
      await replaceFileAtomically(location, path, Buffer.from(parts.join(newText), "utf8"), mode);
      return { path: location.workspacePath, replacements };
    } catch (error) {
      throw toToolError(error, path);
    }
  },
};

async function readTextForEdit(hostPath: string, path: string): Promise<{ text: string; mode: number }> {
  const { handle, stats } = await openRegularFile(hostPath, path);
  try {
    if (stats.size > MAX_EDIT_BYTES) {
      throw new ToolInputError(
        `"${path}" is ${stats.size} bytes, more than edit handles (${MAX_EDIT_BYTES}); use exec or write`,
      );
    }
    const bytes = await handle.readFile();
    if (looksBinary(bytes)) {
      throw new ToolInputError(
        `"${path}" looks like a binary file (it contains NUL bytes); edit handles text only`,
      );
    }
    let text: string;
    try {
      // Fatal: decoding invalid UTF-8 leniently would write replacement characters back.
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      throw new ToolInputError(`"${path}" is not valid UTF-8 text; edit handles UTF-8 only`);
    }
    return { text, mode: stats.mode & 0o777 };
  } finally {
    await handle.close();
  }
}
