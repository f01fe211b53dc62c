import { mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { asObject, type Tool, ToolInputError } from "../tool.js";
import { locateInWorkspace } from "./confine.js";
import { toToolError } from "./file-errors.js";
import { optionalBoolean, requiredString, requireWorkspace } from "./workspace-input.js";
import { replaceFileAtomically } from "./workspace-write.js";

const FILE_MODE = 0o644;

/** Creates or replaces a workspace file with the given text, atomically. */
export const writeTool: Tool = {
  name: "write",
  description:
    "Writes a UTF-8 text file in the workspace, replacing it if it exists. Paths are relative to the " +
    "workspace root. Missing parent directories are created unless createDirs is false. Returns " +
    "the number of bytes written. To change part of an existing file, prefer edit.",
  parameters: {
    type: "object",
    properties: {
      path: { type: "string", description: "File path, relative to the workspace root." },
      content: { type: "string", description: "The complete new content of the file." },
      createDirs: {
        type: "boolean",
        default: true,
        description: "Create missing parent directories (default true).",
      },
    },
    required: ["path", "content"],
    additionalProperties: false,
  },
  async execute(input, context) {
    const fields = asObject(input, "write");
    const path = requiredString(fields, "path", "write");
    const content = requiredString(fields, "content", "write", { allowEmpty: true });
    const createDirs = optionalBoolean(fields, "createDirs", "write", true);
    const workspace = requireWorkspace(context);
    try {
      const location = await locateInWorkspace(workspace.root, path, {
        forWrite: true,
        hidden: workspace.hidden ?? [],
      });
      const directory = dirname(location.hostPath);
      if (createDirs) {
        await mkdir(directory, { recursive: true });
      } else if (!(await isDirectory(directory))) {
        throw new ToolInputError(
          `the directory of "${path}" does not exist; create it first or set createDirs to true`,
        );
      }
      const bytes = Buffer.from(content, "utf8");
      await replaceFileAtomically(location, path, bytes, FILE_MODE);
      return { path: location.workspacePath, bytesWritten: bytes.length };
    } catch (error) {
      throw toToolError(error, path);
    }
  },
};

async function isDirectory(path: string): Promise<boolean> {
  const stats = await stat(path).catch(() => undefined);
  return stats?.isDirectory() ?? false;
}
