import { readFile, realpath, stat } from "node:fs/promises";
import { resolve } from "node:path";
import JSON5 from "json5";
import { OpenClawError } from "../errors.js";
import { writeFileAtomic } from "./atomic-write.js";
import { type ConfigPathSegment, formatConfigPath, isPlainObject, parseConfigPath } from "./config-path.js";
import { type LoadedConfig, parseConfigSyntax, parseConfigText } from "./load.js";
import { ConfigSchema, type OpenClawConfig } from "./schema.js";
import { spliceConfigValue } from "./source-edit.js";
import { schemaKeysAt, suggestNearest } from "./suggest.js";

function unknownPath(
  path: readonly ConfigPathSegment[],
  depth: number,
  candidates: string[],
  reason = "",
): OpenClawError {
  const segment = path[depth];
  const near = typeof segment === "string" ? suggestNearest(segment, candidates) : undefined;
  const suggestion = near === undefined ? undefined : formatConfigPath([...path.slice(0, depth), near]);
  const didYouMean = suggestion ? ` (did you mean "${suggestion}"?)` : "";
  return new OpenClawError(
    "OC_ERR_CONFIG_PATH",
    `no config value at ${formatConfigPath(path)}${reason}${didYouMean}`,
    {
      hint: "`openclaw config get` prints the whole config; `openclaw config schema` lists every key",
      details: { path: formatConfigPath(path), ...(suggestion ? { suggestion } : {}) },
    },
  );
}

/**
 * The value at a dotted path (`gateway.port`, `agents.main.tools[0]`). A key the schema declares
 * but the config leaves unset gives undefined; anything else unknown is `OC_ERR_CONFIG_PATH`.
 */
export function getConfigValue(config: OpenClawConfig, dottedPath: string): unknown {
  const path = parseConfigPath(dottedPath);
  let current: unknown = config;
  for (let depth = 0; depth < path.length; depth += 1) {
    const segment = path[depth] as ConfigPathSegment;
    const parent = formatConfigPath(path.slice(0, depth));
    if (Array.isArray(current)) {
      const index = Number(segment);
      if (!Number.isInteger(index) || index < 0 || index >= current.length) {
        throw unknownPath(path, depth, [], `: ${parent} has ${current.length} entries`);
      }
      current = current[index];
    } else if (isPlainObject(current)) {
      const key = String(segment);
      if (Object.hasOwn(current, key)) {
        current = current[key];
        continue;
      }
      const declared = schemaKeysAt(ConfigSchema, path.slice(0, depth), config);
      if (declared.includes(key)) return undefined;
      throw unknownPath(path, depth, [...declared, ...Object.keys(current)]);
    } else {
      throw unknownPath(
        path,
        depth,
        [],
        `: ${parent} is ${current === null ? "null" : `a ${typeof current}`}`,
      );
    }
  }
  return current;
}

/** `18790`, `true`, `{ a: 1 }`, `"x"` are JSON5; anything that does not parse is the string itself. */
export function parseConfigValue(rawValue: string): unknown {
  try {
    return JSON5.parse(rawValue);
  } catch {
    return rawValue;
  }
}

interface EditTarget {
  /** The file to replace: a symlinked config is edited where it points. */
  path: string;
  text: string;
  mode: number | undefined;
}

async function readForEdit(path: string): Promise<EditTarget> {
  try {
    const target = await realpath(path);
    const [text, info] = await Promise.all([readFile(target, "utf8"), stat(target)]);
    return { path: target, text, mode: info.mode & 0o7777 };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { path, text: "", mode: undefined };
    throw new OpenClawError(
      "OC_ERR_CONFIG_READ",
      `cannot read config file ${path}: ${code ?? String(error)}`,
      {
        hint: "the file must be readable and writable by the user running openclaw",
        details: { path, errno: code },
        cause: error,
      },
    );
  }
}

/**
 * Sets one value in the config file, editing its text in place so that comments and formatting
 * elsewhere survive. The whole result is validated first: an invalid result throws the same
 * `OC_ERR_CONFIG_INVALID` as loading would, and the file is left untouched.
 */
export async function setConfigValueInFile(
  filePath: string,
  dottedPath: string,
  rawValue: string,
): Promise<LoadedConfig> {
  const path = parseConfigPath(dottedPath);
  const value = parseConfigValue(rawValue);
  const target = await readForEdit(resolve(filePath));
  const text = target.text.trim() === "" ? "{}\n" : target.text;
  const raw = parseConfigSyntax(text, target.path);
  if (!isPlainObject(raw)) parseConfigText(text, target.path);
  const edited = spliceConfigValue(text, path, value);
  const loaded = parseConfigText(edited, target.path);
  try {
    await writeFileAtomic(target.path, edited, target.mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OpenClawError(
      "OC_ERR_CONFIG_READ",
      `cannot write config file ${target.path}: ${code ?? String(error)}`,
      {
        hint: "the file and its directory must be writable by the user running openclaw",
        details: { path: target.path, errno: code },
        cause: error,
      },
    );
  }
  return loaded;
}
