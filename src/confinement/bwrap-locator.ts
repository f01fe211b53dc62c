import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { delimiter, isAbsolute, join } from "node:path";

/**
 * Debian's places first, by absolute path: the gateway's PATH (handed over by the gateway, since
 * an agent's worker has an empty environment) is only a fallback, so a `bwrap` planted earlier in
 * PATH does not win over the system's.
 */
const SYSTEM_DIRECTORIES = ["/usr/bin", "/usr/local/bin"];

export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` in the system directories, then in `searchPath`; absolute or undefined. */
export async function locateProgram(
  name: string,
  searchPath: string | undefined,
  systemDirectories: readonly string[] = SYSTEM_DIRECTORIES,
): Promise<string | undefined> {
  const fromPath = (searchPath ?? "").split(delimiter).filter((directory) => isAbsolute(directory));
  for (const directory of [...systemDirectories, ...fromPath]) {
    const candidate = join(directory, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}
