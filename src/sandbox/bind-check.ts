import { mkdir, realpath } from "node:fs/promises";
import { posix } from "node:path";
import type { ParsedBind } from "../config/index.js";
import { OpenClawError } from "../errors.js";

function inside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith("/") ? root : `${root}/`);
}

function refused(agentId: string, bind: ParsedBind, why: string, hint: string): OpenClawError {
  return new OpenClawError(
    "OC_ERR_SANDBOX_CONFIG",
    `agents.${agentId}.sandbox.docker bind "${bind.host}:${bind.container}" refused: ${why}`,
    { hint },
  );
}

/**
 * Checks a sandbox's binds where the paths are known: none may expose the state dir (tokens,
 * TLS key, secrets), each must lie inside an allowed root, after symlinks are resolved. A host
 * path that does not exist yet is created when it lies inside an allowed root.
 */
export async function checkBinds(
  agentId: string,
  binds: ParsedBind[],
  options: { stateDir: string; allowedRoots: string[] },
): Promise<void> {
  const stateDir = posix.normalize(options.stateDir);
  const workspaces = posix.join(stateDir, "workspace");
  for (const bind of binds) {
    const check = (host: string) => {
      if (inside(stateDir, host) || (inside(host, stateDir) && !inside(host, workspaces))) {
        throw refused(
          agentId,
          bind,
          `it exposes the gateway's state dir ${stateDir} (tokens, TLS key, secrets)`,
          `bind a directory under ${workspaces} instead`,
        );
      }
      if (!options.allowedRoots.some((root) => inside(host, root))) {
        throw refused(
          agentId,
          bind,
          `${host} is outside sandbox.docker.allowedRoots (${options.allowedRoots.join(", ")})`,
          "add its parent to sandbox.docker.allowedRoots if the agent really needs it",
        );
      }
    };
    check(bind.host);
    await mkdir(bind.host, { recursive: true });
    // A symlink on the way must not lead the bind somewhere the policy would refuse.
    check(await realpath(bind.host));
  }
}
