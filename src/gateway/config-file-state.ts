import { readFile } from "node:fs/promises";
import { configHashOf } from "../config/config-hash.js";
import { toOpenClawError } from "../errors.js";

/** The config file on disk next to the config that runs: whether they are the same version. */
export interface ConfigFileState {
  exists: boolean;
  /** sha256 of the file's bytes now; null when there is no file. */
  hash: string | null;
  /** Whether the file on disk would load (it may differ from the running config and still be). */
  valid: boolean;
  /** Its problems, each with its line, when it would not. */
  issues: unknown[];
  /** The file is not the version that runs (edited since, held, or invalid). */
  differs: boolean;
}

/**
 * Reads and judges the file as it is now. `config.get` and `status` say what runs (its hash) and
 * whether the file on disk is something else, so that a reader is never told a newer or invalid
 * file is in force.
 */
export async function readConfigFileState(
  path: string,
  runningHash: string | undefined,
): Promise<ConfigFileState> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    return { exists: false, hash: null, valid: true, issues: [], differs: runningHash !== undefined };
  }
  const hash = configHashOf(bytes);
  try {
    // Only `config.get` and `status` ask: the loader is imported then, not at the gateway's start.
    const { parseConfigBytes } = await import("../config/load.js");
    parseConfigBytes(bytes, path);
    return { exists: true, hash, valid: true, issues: [], differs: hash !== runningHash };
  } catch (error) {
    const failure = toOpenClawError(error);
    const issues = Array.isArray(failure.details?.issues)
      ? failure.details.issues
      : [{ message: failure.message }];
    return { exists: true, hash, valid: false, issues, differs: true };
  }
}
