import { type ToolContext, ToolInputError } from "../tool.js";
import type { WorkspaceAccess } from "./workspace-types.js";

/** The workspace the agent's host put into the tool context, or a tool error if it has none. */
export function requireWorkspace(context: ToolContext): WorkspaceAccess {
  const workspace = (context as { workspace?: WorkspaceAccess }).workspace;
  if (!workspace) throw new ToolInputError("this agent has no workspace");
  return workspace;
}

export function requiredString(
  fields: Record<string, unknown>,
  name: string,
  toolName: string,
  options: { allowEmpty?: boolean } = {},
): string {
  const value = fields[name];
  if (typeof value !== "string" || (value === "" && !options.allowEmpty)) {
    const kind = options.allowEmpty ? "a string" : "a non-empty string";
    throw new ToolInputError(`${toolName} needs ${kind} field \`${name}\``);
  }
  return value;
}

export function optionalString(
  fields: Record<string, unknown>,
  name: string,
  toolName: string,
  fallback: string,
): string {
  const value = fields[name];
  if (value === undefined) return fallback;
  if (typeof value !== "string" || value === "") {
    throw new ToolInputError(`${toolName} field \`${name}\` must be a non-empty string`);
  }
  return value;
}

export function optionalBoolean(
  fields: Record<string, unknown>,
  name: string,
  toolName: string,
  fallback: boolean,
): boolean {
  const value = fields[name];
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new ToolInputError(`${toolName} field \`${name}\` must be a boolean`);
  return value;
}

/** A positive integer field, or undefined when absent. */
export function optionalPositiveInteger(
  fields: Record<string, unknown>,
  name: string,
  toolName: string,
): number | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new ToolInputError(`${toolName} field \`${name}\` must be a positive integer`);
  }
  return value;
}
