import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import { OpenClawError } from "../errors.js";
import type { Tool, ToolContext } from "./tool.js";
import { createWorkspaceFiles } from "./workspace/workspace-files.js";

/** Model APIs (OpenAI, Anthropic) accept only these characters and lengths in a tool name. */
const TOOL_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const CONTRACT_HINT =
  "export a tool object `{ name, description, parameters, execute }` as `export default tool`, " +
  "`export default [tool, ...]`, `export const tools = [...]` or `export default { tools: [...] }`";

/**
 * Imports each plugin module and returns its tools, validated. Everything here is checked because
 * a plugin is arbitrary JavaScript: a malformed tool must stop the agent at start-up with a message
 * naming the plugin, not surface later as a model error or a crashed turn.
 *
 * Plugins are trusted code, installed by the operator: they run in the agent's own thread with the
 * gateway user's rights, outside the confinement of `exec`. What they are given for files is
 * `context.files`, confined to the workspace like the built-in file tools, so that a plugin that
 * uses it cannot be talked by the model into reading the gateway's state or secrets.
 */
export async function loadPluginTools(
  paths: readonly string[],
  reservedNames: readonly string[],
): Promise<Tool[]> {
  const reserved = new Set(reservedNames);
  const ownerByName = new Map<string, string>();
  const seenPaths = new Set<string>();
  const tools: Tool[] = [];
  // One at a time, in configured order, so the first broken plugin is always the one reported.
  for (const path of paths) {
    if (seenPaths.has(path)) {
      throw pluginError(
        path,
        "is listed more than once",
        "remove the duplicate entry from the agent's plugins",
      );
    }
    seenPaths.add(path);
    for (const tool of await importPluginTools(path)) {
      if (reserved.has(tool.name)) {
        throw pluginError(
          path,
          `defines tool "${tool.name}", which is a built-in tool name`,
          "rename the plugin's tool; built-in names are reserved",
        );
      }
      const owner = ownerByName.get(tool.name);
      if (owner !== undefined) {
        const where = owner === path ? "this plugin" : `plugin ${owner}`;
        throw pluginError(
          path,
          `defines tool "${tool.name}", which ${where} already defines`,
          "give every plugin tool a unique name, or drop one of the plugins from the agent",
        );
      }
      ownerByName.set(tool.name, path);
      tools.push(tool);
    }
  }
  return tools;
}

async function importPluginTools(path: string): Promise<Tool[]> {
  if (!isAbsolute(path)) {
    throw pluginError(path, "is not an absolute path", "resolve plugin paths before loading them");
  }
  let module: Record<string, unknown>;
  try {
    module = await import(pathToFileURL(path).href);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw pluginError(
      path,
      `failed to load: ${reason}`,
      "check that the file exists, is an ES module (.mjs, or .js under a package.json with " +
        '"type": "module") and runs without throwing when imported',
      error,
    );
  }
  const candidates = exportedTools(module);
  if (candidates.length === 0) {
    throw pluginError(path, "exports no tools", CONTRACT_HINT);
  }
  return candidates.map((candidate, index) => validateTool(candidate, path, index));
}

function exportedTools(module: Record<string, unknown>): unknown[] {
  const found: unknown[] = [];
  const fromDefault = module.default;
  if (Array.isArray(fromDefault)) found.push(...fromDefault);
  else if (isRecord(fromDefault) && "tools" in fromDefault && !("execute" in fromDefault)) {
    if (Array.isArray(fromDefault.tools)) found.push(...fromDefault.tools);
    else found.push(fromDefault.tools);
  } else if (fromDefault !== undefined) found.push(fromDefault);
  if ("tools" in module) {
    if (Array.isArray(module.tools)) found.push(...module.tools);
    else found.push(module.tools);
  }
  // A module may export the same tool both ways; that is one tool, not a clash.
  return [...new Set(found)];
}

function validateTool(candidate: unknown, path: string, index: number): Tool {
  const label =
    isRecord(candidate) && typeof candidate.name === "string" ? `"${candidate.name}"` : `#${index}`;
  const malformed = (problem: string) =>
    pluginError(path, `exports a malformed tool ${label}: ${problem}`, CONTRACT_HINT);
  if (!isRecord(candidate)) throw malformed(`expected an object, got ${describeValue(candidate)}`);
  const { name, description, parameters, execute } = candidate;
  if (typeof name !== "string" || !TOOL_NAME_PATTERN.test(name)) {
    throw malformed("`name` must be 1 to 64 letters, digits, underscores or hyphens");
  }
  if (typeof description !== "string" || description.trim() === "") {
    throw malformed("`description` must be a non-empty string (the model reads it to choose the tool)");
  }
  if (!isRecord(parameters) || parameters.type !== "object") {
    throw malformed('`parameters` must be a JSON Schema object with `type: "object"`');
  }
  if (typeof execute !== "function") throw malformed("`execute` must be a function");
  // A fresh object, so a plugin cannot rename its tool after validation; the async wrapper turns a
  // synchronous throw or a plain return value into the promise the turn loop expects.
  return {
    name,
    description,
    parameters,
    async execute(input: unknown, context: ToolContext) {
      return execute.call(candidate, input, withWorkspaceFiles(context));
    },
  };
}

function withWorkspaceFiles(context: ToolContext): ToolContext {
  if (context.files || !context.workspace) return context;
  return { ...context, files: createWorkspaceFiles(context.workspace) };
}

function pluginError(path: string, problem: string, hint: string, cause?: unknown): OpenClawError {
  return new OpenClawError("OC_ERR_PLUGIN", `plugin ${path} ${problem}`, {
    hint,
    details: { plugin: path },
    ...(cause === undefined ? {} : { cause }),
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}
