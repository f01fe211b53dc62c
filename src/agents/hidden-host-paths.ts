import { readdirSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { OpenClawConfig, ResolvedAgent } from "../config/index.js";

/**
 * What the host itself keeps secret and a root gateway could read: password hashes, the Docker
 * and containerd state (a sandbox's env, with its secrets, is in its container config there).
 */
const HOST_SECRET_PATHS = [
  "/etc/shadow",
  "/etc/shadow-",
  "/etc/gshadow",
  "/etc/gshadow-",
  "/etc/docker",
  "/var/lib/docker",
  "/var/lib/containerd",
];

/** The SSH host private keys (`/etc/ssh/ssh_host_*_key`), not the rest of /etc/ssh. */
function sshHostKeys(): string[] {
  try {
    return readdirSync("/etc/ssh")
      .filter((name) => /^ssh_host_.+_key$/.test(name))
      .map((name) => join("/etc/ssh", name));
  } catch {
    return [];
  }
}

/**
 * Directories that are never hidden whole for holding a secret: the commands need them to run.
 * A key at /etc/gateway.key is hidden as a file only.
 */
const SYSTEM_DIRECTORIES = new Set([
  "/",
  "/bin",
  "/boot",
  "/dev",
  "/etc",
  "/home",
  "/lib",
  "/lib32",
  "/lib64",
  "/libx32",
  "/opt",
  "/proc",
  "/run",
  "/sbin",
  "/sys",
  "/tmp",
  "/usr",
  "/usr/local",
  "/var",
]);

function directoryUnlessSystem(path: string): string[] {
  return SYSTEM_DIRECTORIES.has(path) ? [] : [path];
}

/** A file's path, its directory, and the same for where its symlinks lead now. */
function withDirectoryAndTarget(path: string): string[] {
  const paths = [path, ...directoryUnlessSystem(dirname(path))];
  try {
    const real = realpathSync(path);
    if (real !== path) paths.push(real, ...directoryUnlessSystem(dirname(real)));
  } catch {
    // Not there yet: its directory is hidden, so one created later is too.
  }
  return paths;
}

/**
 * Every host path an agent's tools must not see, resolved on the gateway side (the worker gets
 * the list as plain data). A file secret's directory is hidden too: Kubernetes-style secret
 * volumes swap a `..data` symlink beside the file, and a rotated file is renamed into place.
 * The config file is listed on its own as well as its directory: when the directory is the
 * agent's workspace, only the file itself can be hidden.
 */
export function hiddenHostPaths(
  agent: ResolvedAgent,
  config: OpenClawConfig,
  configPath: string,
  stateDir: string,
): string[] {
  const configFile = resolve(configPath);
  const configDir = dirname(configFile);
  const paths = [
    resolve(stateDir),
    ...directoryUnlessSystem(configDir),
    configFile,
    ...directoryUnlessSystem(homedir()),
  ];
  for (const declaration of Object.values(config.externalSecrets)) {
    if (declaration.source === "file")
      paths.push(...withDirectoryAndTarget(resolve(configDir, declaration.path)));
  }
  const tls = config.gateway.tls;
  for (const path of [tls.keyPath, tls.certPath]) {
    if (path) paths.push(...withDirectoryAndTarget(resolve(configDir, path)));
  }
  paths.push(...HOST_SECRET_PATHS, ...sshHostKeys());
  for (const extra of agent.sandbox?.host?.hide ?? []) paths.push(resolve(configDir, extra));
  return [...new Set(paths)];
}
