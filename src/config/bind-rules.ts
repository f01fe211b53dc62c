import { posix } from "node:path";

/** host:container[:ro|rw], as Docker writes binds. */
export interface ParsedBind {
  host: string;
  container: string;
  readOnly: boolean;
}

export function parseBind(bind: string): ParsedBind | undefined {
  const parts = bind.split(":");
  if (parts.length < 2 || parts.length > 3) return undefined;
  const [host, container, mode] = parts as [string, string, string | undefined];
  if (!posix.isAbsolute(host) || !posix.isAbsolute(container)) return undefined;
  if (mode !== undefined && mode !== "ro" && mode !== "rw") return undefined;
  return { host: posix.normalize(host), container: posix.normalize(container), readOnly: mode === "ro" };
}

/** Host paths no sandbox may see: the engine itself, the host's system trees. */
const FORBIDDEN_EXACT = new Set(["/", "/etc", "/proc", "/sys", "/dev", "/boot", "/root", "/var/run", "/run"]);
const FORBIDDEN_TREES = ["/etc/", "/proc/", "/sys/", "/dev/", "/boot/"];

/**
 * Why a bind is refused whatever the state dir (checked at config load), or undefined. The
 * state dir's own secrets and the allowed roots are checked when the sandbox starts, where
 * those paths are known.
 */
export function forbiddenBindReason(bind: string): string | undefined {
  const parsed = parseBind(bind);
  if (!parsed) return 'expected "/host/path:/container/path" with an optional ":ro" or ":rw"';
  const { host } = parsed;
  if (posix.basename(host) === "docker.sock" || host.endsWith("/docker.sock")) {
    return "the Docker socket would give the sandbox root on the host";
  }
  if (FORBIDDEN_EXACT.has(host) || FORBIDDEN_TREES.some((tree) => host.startsWith(tree))) {
    return `${host} is a host system path`;
  }
  return undefined;
}
