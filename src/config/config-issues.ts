import type { z } from "zod";
import { OpenClawError } from "../errors.js";
import { type ConfigPathSegment, formatConfigPath, valueAtPath } from "./config-path.js";
import type { DottedKeyProblem } from "./dotted-keys.js";
import { type ConfigIssue, formatIssue } from "./issue-format.js";
import { isCredentialKey } from "./redact.js";
import { ConfigSchema } from "./schema.js";
import { createSourceLocator } from "./source-locator.js";
import { schemaKeysAt, suggestNearest } from "./suggest.js";

/** An issue before it is placed in the file: a config path, or a path as written when it names a dotted key. */
export interface PendingIssue {
  path: ConfigPathSegment[];
  sourcePath?: ConfigPathSegment[];
  message: string;
  suggestion?: string;
  /** Another place in the file this issue refers to; its line is appended to the message. */
  alsoAt?: ConfigPathSegment[];
}

export { type ConfigIssue, formatIssue, formatWarnings } from "./issue-format.js";

const FIX_HINT = "fix the file, then run `openclaw config validate`";

/** A short, safe rendering of a received value: never the contents of a credential field. */
function received(value: unknown, path: readonly PropertyKey[]): string {
  if (path.some((segment) => typeof segment === "string" && isCredentialKey(segment))) return typeof value;
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === null || typeof value === "number" || typeof value === "boolean") return String(value);
  return Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : typeof value;
}

function toSegments(path: readonly PropertyKey[]): ConfigPathSegment[] {
  return path.map((segment) => (typeof segment === "symbol" ? String(segment) : segment));
}

/** Turns zod's issues into messages that say what is wrong with the value the user wrote. */
export function describeSchemaIssues(
  issues: readonly z.core.$ZodIssue[],
  config: unknown,
  prefix: ConfigPathSegment[] = [],
): PendingIssue[] {
  const described: PendingIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...toSegments(issue.path)];
    const { found, value } = valueAtPath(config, path);
    switch (issue.code) {
      case "unrecognized_keys": {
        const valid = schemaKeysAt(ConfigSchema, path, config);
        for (const key of issue.keys) {
          const suggestion = suggestNearest(key, valid);
          described.push({
            path: [...path, key],
            message: `unknown key "${key}"`,
            ...(suggestion ? { suggestion } : {}),
          });
        }
        break;
      }
      case "invalid_type":
        described.push({
          path,
          message: found
            ? `expected ${issue.expected}, got ${received(value, path)}`
            : `required key "${String(path.at(-1))}" is missing`,
        });
        break;
      case "invalid_value": {
        const options = issue.values.map((option) => JSON.stringify(option)).join(", ");
        const suggestion =
          typeof value === "string" ? suggestNearest(value, issue.values.map(String)) : undefined;
        described.push({
          path,
          message: `expected one of ${options}, got ${received(value, path)}`,
          ...(suggestion ? { suggestion } : {}),
        });
        break;
      }
      case "invalid_union": {
        // zod reports an unknown discriminator this way, with fields its issue type does not declare.
        const discriminator = issue as { note?: unknown; options?: unknown };
        if (discriminator.note === "No matching discriminator" && Array.isArray(discriminator.options)) {
          const options = discriminator.options.map(String);
          const list = options.map((option) => JSON.stringify(option)).join(", ");
          const suggestion = typeof value === "string" ? suggestNearest(value, options) : undefined;
          described.push({
            path,
            message: found
              ? `expected one of ${list}, got ${received(value, path)}`
              : `required key "${String(path.at(-1))}" is missing (one of ${list})`,
            ...(suggestion ? { suggestion } : {}),
          });
          break;
        }
        // When the value has the shape of exactly one branch, that branch's complaints are the useful ones.
        const shapeMatches = issue.errors.filter(
          (branch) => !branch.every((inner) => inner.code === "invalid_type" && inner.path.length === 0),
        );
        if (shapeMatches.length === 1) {
          described.push(...describeSchemaIssues(shapeMatches[0] ?? [], config, path));
          break;
        }
        const expected = issue.errors.flatMap((branch) =>
          branch.flatMap((inner) => (inner.code === "invalid_type" ? [inner.expected] : [])),
        );
        const forms = expected.length > 0 ? [...new Set(expected)].join(" or ") : "one of the allowed forms";
        described.push({ path, message: `expected ${forms}, got ${received(value, path)}` });
        break;
      }
      case "invalid_key": {
        const reason = issue.issues[0]?.message ?? issue.message;
        described.push({ path, message: `invalid name "${String(path.at(-1))}": ${reason}` });
        break;
      }
      case "too_big":
      case "too_small":
        described.push({
          path,
          message: typeof value === "number" ? `${issue.message}, got ${value}` : issue.message,
        });
        break;
      default:
        described.push({ path, message: issue.message });
    }
  }
  return described;
}

export function describeDottedKeyProblems(problems: readonly DottedKeyProblem[]): PendingIssue[] {
  return problems.map((problem) => ({
    path: problem.path,
    sourcePath: problem.sourcePath,
    message: problem.message,
    ...(problem.otherSourcePath ? { alsoAt: problem.otherSourcePath } : {}),
  }));
}

/** Places pending issues at their lines (sorted by position) in the source text. */
export function placeIssues(text: string, pending: readonly PendingIssue[]): ConfigIssue[] {
  // Locating parses the whole file again (≈ 8 ms at start-up for a clean config): not for nothing.
  if (pending.length === 0) return [];
  const locator = createSourceLocator(text);
  const placed = pending.map((issue) => {
    const where = issue.sourcePath
      ? locator.locateSourcePath(issue.sourcePath)
      : locator.locateConfigPath(issue.path);
    const also = issue.alsoAt ? locator.locateSourcePath(issue.alsoAt).line : undefined;
    const message =
      also !== undefined && also !== where.line
        ? `${issue.message} (also set at line ${also})`
        : issue.message;
    const placedIssue: ConfigIssue = {
      path: formatConfigPath(issue.path),
      line: where.line,
      column: where.column,
      message,
    };
    if (issue.suggestion) placedIssue.suggestion = issue.suggestion;
    return placedIssue;
  });
  return placed.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** The single error for an invalid config: every issue on its own line, all of them in details. */
export function invalidConfigError(filePath: string, issues: ConfigIssue[]): OpenClawError {
  const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
  const lines = issues.map((issue) => formatIssue(filePath, issue));
  return new OpenClawError("OC_ERR_CONFIG_INVALID", `invalid config (${count}):\n${lines.join("\n")}`, {
    hint: FIX_HINT,
    details: { path: filePath, issues },
  });
}
