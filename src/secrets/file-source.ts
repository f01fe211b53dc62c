import { constants, type Stats } from "node:fs";
import { type FileHandle, lstat, open, realpath } from "node:fs/promises";
import { userInfo } from "node:os";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { selectJsonSecret } from "./json-pointer.js";
import { formatKibibytes, secretInsecure, secretUnavailable } from "./secret-errors.js";
import { MAX_SECRET_BYTES, trimTrailingNewline } from "./secret-value.js";

export interface FileSecretDeclaration {
  source: "file";
  path: string;
  /** A JSON pointer into the file (a JSON document); absent: the whole file is the secret. */
  pointer?: string | undefined;
}

export interface FileSecretOptions {
  /** Directory of the config file: a relative `path` is relative to it. */
  configDir: string;
  /** Follow a symlink whose target is outside the configured file's directory. */
  allowSymlinkOutside?: boolean;
}

/**
 * O_NOFOLLOW: the checked real path is opened, and if its last component was swapped for a
 * symlink since, the open fails instead of reading whatever that link points to.
 * O_NONBLOCK: a FIFO at the path would otherwise block the open until someone writes to it.
 */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export function resolveSecretFilePath(declaration: FileSecretDeclaration, configDir: string): string {
  return resolve(configDir, declaration.path);
}

function isInside(directory: string, target: string): boolean {
  const path = relative(directory, target);
  return path !== "" && path !== ".." && !path.startsWith(`..${sep}`) && !isAbsolute(path);
}

function formatMode(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, "0")}`;
}

function gatewayUserName(uid: number): string {
  try {
    return userInfo().username;
  } catch {
    return String(uid);
  }
}

function readFailure(name: string, path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const details = { source: "file", path, errno: code };
  if (code === "ENOENT") {
    return secretUnavailable(
      name,
      `file ${path} does not exist`,
      `write the secret (alone, on one line) into ${path}, then run \`chmod 600 ${path}\``,
      details,
      error,
    );
  }
  if (code === "EACCES" || code === "EPERM") {
    return secretUnavailable(
      name,
      `file ${path} cannot be read by the gateway user`,
      `make the gateway user its owner: \`chown ${gatewayUserName(process.getuid?.() ?? -1)} ${path} && chmod 600 ${path}\``,
      details,
      error,
    );
  }
  if (code === "ELOOP") {
    return secretInsecure(
      name,
      `file ${path} was replaced by a symlink while it was being read`,
      `check who can write to ${dirname(path)}; it should be writable only by the gateway user`,
      details,
    );
  }
  return secretUnavailable(
    name,
    `file ${path} cannot be read (${code ?? String(error)})`,
    `check that ${path} is a readable file`,
    details,
    error,
  );
}

/**
 * The path to open. A symlink is followed only while its target stays in the configured file's
 * directory: otherwise anyone able to write that directory (an agent's tool, a sync client) could
 * turn `~/.ssh/id_ed25519` or `/etc/shadow` into an "API key" sent to a model provider.
 */
async function resolveTarget(name: string, path: string, allowSymlinkOutside: boolean): Promise<string> {
  const linkStats = await lstat(path).catch((error: unknown) => {
    throw readFailure(name, path, error);
  });
  if (!linkStats.isSymbolicLink()) return path;
  const target = await realpath(path).catch((error: unknown) => {
    throw secretUnavailable(
      name,
      `file ${path} is a symlink to a missing file`,
      `point the symlink at an existing file, or set externalSecrets.${name}.path to the file itself`,
      { source: "file", path },
      error,
    );
  });
  if (allowSymlinkOutside) return target;
  const directory = await realpath(dirname(path));
  if (!isInside(directory, target)) {
    throw secretInsecure(
      name,
      `file ${path} is a symlink to ${target}, outside ${dirname(path)}; it is not followed`,
      `if ${target} is the intended file, set externalSecrets.${name}.path to "${target}"; otherwise remove the symlink`,
      { source: "file", path, target },
    );
  }
  return target;
}

function checkFile(name: string, path: string, stats: Stats): void {
  if (!stats.isFile()) {
    throw secretUnavailable(
      name,
      `${path} is not a regular file`,
      `set externalSecrets.${name}.path to a file holding only the secret`,
      { source: "file", path },
    );
  }
  // Windows has no POSIX owner or mode bits to check.
  const uid = process.getuid?.();
  if (uid !== undefined) {
    const wrongOwner = stats.uid !== uid;
    const looseMode = (stats.mode & 0o077) !== 0;
    if (wrongOwner || looseMode) {
      const problems: string[] = [];
      const fixes: string[] = [];
      if (wrongOwner) {
        problems.push(`is owned by uid ${stats.uid}, not by the gateway user (uid ${uid})`);
        fixes.push(`chown ${gatewayUserName(uid)} ${path}`);
      }
      if (looseMode) {
        problems.push(`has mode ${formatMode(stats.mode)}, so other users can read it`);
        fixes.push(`chmod 600 ${path}`);
      }
      throw secretInsecure(
        name,
        `file ${path} ${problems.join(" and ")}; it is not read`,
        fixes.join(" && "),
        {
          source: "file",
          path,
          mode: formatMode(stats.mode),
          uid: stats.uid,
        },
      );
    }
  }
  if (stats.size > MAX_SECRET_BYTES) throw tooLarge(name, path);
}

function tooLarge(name: string, path: string): Error {
  return secretUnavailable(
    name,
    `file ${path} is larger than ${formatKibibytes(MAX_SECRET_BYTES)}, too large to be a credential`,
    `set externalSecrets.${name}.path to a file holding only the secret`,
    { source: "file", path },
  );
}

/** Reads at most one byte past the limit, so that a file that grew after fstat is still refused. */
async function readCapped(handle: FileHandle): Promise<Buffer | undefined> {
  const buffer = Buffer.alloc(MAX_SECRET_BYTES + 1);
  let length = 0;
  while (length < buffer.length) {
    const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  return length > MAX_SECRET_BYTES ? undefined : buffer.subarray(0, length);
}

/** Reads a secret file after checking it is a private, regular file of the gateway user. */
export async function readFileSecret(
  name: string,
  declaration: FileSecretDeclaration,
  options: FileSecretOptions,
): Promise<string> {
  const path = resolveSecretFilePath(declaration, options.configDir);
  const target = await resolveTarget(name, path, options.allowSymlinkOutside === true);
  const handle = await open(target, OPEN_FLAGS).catch((error: unknown) => {
    throw readFailure(name, path, error);
  });
  try {
    // Checked on the open handle, so the file read is the file checked.
    checkFile(name, path, await handle.stat());
    const content = await readCapped(handle);
    if (content === undefined) throw tooLarge(name, path);
    if (declaration.pointer !== undefined)
      return selectJsonSecret(name, path, content.toString("utf8"), declaration.pointer);
    const value = trimTrailingNewline(content.toString("utf8"));
    if (value === "") {
      throw secretUnavailable(
        name,
        `file ${path} is empty`,
        `write the secret into ${path} (one line; a trailing newline is ignored)`,
        { source: "file", path },
      );
    }
    return value;
  } finally {
    await handle.close();
  }
}
