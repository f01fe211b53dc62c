import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import JSON5 from "json5";
import { OpenClawError } from "../errors.js";
import { configHashOf } from "./config-hash.js";
import {
  type ConfigIssue,
  describeDottedKeyProblems,
  describeSchemaIssues,
  invalidConfigError,
  placeIssues,
} from "./config-issues.js";
import { isPlainObject } from "./config-path.js";
import { expandDottedKeys } from "./dotted-keys.js";
import { substituteEnvVariables, type UnresolvedVariable } from "./env-substitution.js";
import { IGNORED_KEY_MESSAGE, stripOpenClawOnlyKeys } from "./openclaw-only-keys.js";
import { checkReferences } from "./reference-checks.js";
import { ConfigSchema, type OpenClawConfig } from "./schema.js";
import { placeSecretRefs } from "./secret-refs.js";
import { lineColumnAt, skipTrivia } from "./source-tree.js";

export interface LoadedConfig {
  config: OpenClawConfig;
  /** Absolute path of the file (whether or not it exists). */
  path: string;
  exists: boolean;
  /** The document as written, before dotted keys are expanded and defaults applied. */
  raw: unknown;
  /** sha256 (hex) of the file's bytes, as `config.get` reports it; absent when there is no file. */
  hash?: string;
  /** OpenClaw settings this gateway does not implement, each at its line: loaded, ignored, to be said. */
  warnings: ConfigIssue[];
}

interface Json5SyntaxError extends SyntaxError {
  lineNumber?: number;
  columnNumber?: number;
}

/**
 * A config is parsed once per load (a CLI command, a gateway start or reload), so zod's JIT, which
 * generates and compiles a parser per object schema on first use to speed up later parses, only
 * costs here: parsing the defaults takes ≈ 14 ms with it, ≈ 5 ms without. Same result either way.
 */
const PARSE_ONCE = { jitless: true } as const;

/** The built-in configuration: what a missing file means. */
export function defaultConfig(): OpenClawConfig {
  return ConfigSchema.parse({}, PARSE_ONCE);
}

/** JSON5 syntax only: `OC_ERR_CONFIG_PARSE` with file:line:column and json5's reason. */
export function parseConfigSyntax(text: string, filePath: string): unknown {
  try {
    return JSON5.parse(text);
  } catch (error) {
    const syntax = error as Json5SyntaxError;
    const line = syntax.lineNumber ?? 1;
    const column = syntax.columnNumber ?? 1;
    // json5 ends its message with the position, which the file:line:column prefix already gives.
    const reason = String(syntax.message ?? error).replace(/ at \d+:\d+$/, "");
    throw new OpenClawError("OC_ERR_CONFIG_PARSE", `${filePath}:${line}:${column}: ${reason}`, {
      hint: "fix the syntax there (JSON5: comments, trailing commas and unquoted keys are fine), then run `openclaw config validate`",
      details: { path: filePath, line, column },
      cause: error,
    });
  }
}

/**
 * Parses and validates the text of a config file. Throws `OC_ERR_CONFIG_PARSE` for a syntax
 * error and one `OC_ERR_CONFIG_INVALID` listing every problem, each at its line.
 */
export function parseConfigText(
  text: string,
  filePath: string,
  env: NodeJS.ProcessEnv = process.env,
): LoadedConfig {
  const path = resolve(filePath);
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const raw = parseConfigSyntax(source, path);
  if (!isPlainObject(raw)) {
    const found = Array.isArray(raw) ? "an array" : raw === null ? "null" : `a ${typeof raw}`;
    const { line, column } = lineColumnAt(source, skipTrivia(source, 0));
    throw invalidConfigError(path, [
      { path: "", line, column, message: `the top level must be an object ({ ... }), found ${found}` },
    ]);
  }
  const expanded = expandDottedKeys(raw);
  const stripped = stripOpenClawOnlyKeys(ConfigSchema, expanded.value);
  const substituted = substituteEnvVariables(ConfigSchema, stripped.value, env);
  const unresolvedCredentials = substituted.unresolved.filter((entry) => entry.credential);
  const placed = placeSecretRefs(ConfigSchema, substituted.value);
  const result = ConfigSchema.safeParse(placed.value, PARSE_ONCE);
  const references = result.success ? checkReferences(result.data) : [];
  const clean =
    expanded.problems.length === 0 &&
    unresolvedCredentials.length === 0 &&
    placed.issues.length === 0 &&
    references.length === 0;
  if (result.success && clean) {
    const warnings = placeIssues(source, [
      ...stripped.ignored.map((where) => ({ path: where, message: IGNORED_KEY_MESSAGE })),
      ...substituted.unresolved.map(unresolvedWarning),
      ...placed.warnings,
    ]);
    return { config: result.data, path, exists: true, raw, warnings };
  }
  const pending = [
    ...describeDottedKeyProblems(expanded.problems),
    ...unresolvedCredentials.map((entry) => ({
      path: entry.path,
      message: `environment variable ${entry.variable} is not set (or empty): a credential cannot be left unresolved`,
    })),
    ...placed.issues,
    ...references,
    // A ref the loader could not place is also refused by the schema; the loader's reason is the useful one.
    ...(result.success ? [] : describeSchemaIssues(result.error.issues, placed.value)).filter(
      (issue) => !placed.issues.some((refused) => isDeepStrictEqual(refused.path, issue.path)),
    ),
  ];
  throw invalidConfigError(path, placeIssues(source, pending));
}

function unresolvedWarning(entry: UnresolvedVariable) {
  return {
    path: entry.path,
    message: `environment variable ${entry.variable} is not set (or empty); \${${entry.variable}} left as written`,
  };
}

/** Reads and validates a config file; a missing file gives the built-in defaults (`exists: false`). */
export async function loadConfigFile(filePath: string): Promise<LoadedConfig> {
  const path = resolve(filePath);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      return { config: defaultConfig(), path, exists: false, raw: undefined, warnings: [] };
    throw new OpenClawError(
      "OC_ERR_CONFIG_READ",
      `cannot read config file ${path}: ${code ?? String(error)}`,
      {
        hint:
          code === "EACCES" || code === "EPERM"
            ? "make the file readable by the user running openclaw (it should be mode 0600, owned by that user)"
            : "check that the path names a readable file (--config, OPENCLAW_CONFIG_PATH or OPENCLAW_STATE_DIR)",
        details: { path, errno: code },
        cause: error,
      },
    );
  }
  return parseConfigBytes(bytes, path);
}

export { configHashOf };

/**
 * Parses bytes already read: the hash and the config come from the same bytes, so a file that
 * changes between two reads cannot be reported as one version and run as another.
 */
export function parseConfigBytes(
  bytes: Buffer,
  filePath: string,
  env: NodeJS.ProcessEnv = process.env,
): LoadedConfig {
  return { ...parseConfigText(bytes.toString("utf8"), filePath, env), hash: configHashOf(bytes) };
}
