import { chmod, mkdir } from "node:fs/promises";
import { type Diagnostic, fail, formatMode, ok, warn } from "./diagnostic.js";
import type { DoctorFacts } from "./facts.js";

export const MIN_NODE_MAJOR = 24;

export function checkNodeVersion(version: string): Diagnostic {
  const major = Number(version.split(".")[0]);
  if (major >= MIN_NODE_MAJOR) return ok("node-version", `node ${version}`);
  return fail(
    "node-version",
    `node ${version} is too old: the gateway needs Node.js ${MIN_NODE_MAJOR} or newer`,
    `install Node.js ${MIN_NODE_MAJOR} (https://nodejs.org, or \`nvm install ${MIN_NODE_MAJOR}\`) and run openclaw with it`,
  );
}

/**
 * The state dir holds transcripts, memories, the gateway token and paired nodes: it is the
 * gateway user's alone (0700). A missing one is created by the gateway on start; `--fix` creates it now.
 */
export function checkStateDir(facts: Pick<DoctorFacts, "stateDirFile" | "uid">): Diagnostic {
  const { path, exists, isDirectory, mode, uid } = facts.stateDirFile;
  if (!exists) {
    return warn(
      "state-dir",
      `state dir ${path} does not exist yet (the gateway creates it on start)`,
      `mkdir -m 700 ${path}`,
      {
        safeFix: {
          action: `created ${path} (mode 0700)`,
          apply: async () => {
            await mkdir(path, { recursive: true, mode: 0o700 });
            await chmod(path, 0o700);
          },
        },
      },
    );
  }
  if (!isDirectory) {
    return fail(
      "state-dir",
      `state dir ${path} is not a directory`,
      `move that file away, or point OPENCLAW_STATE_DIR at a directory`,
    );
  }
  if (mode !== undefined && (mode & 0o077) !== 0) {
    const owned = facts.uid === undefined || uid === facts.uid;
    return warn(
      "state-dir",
      `state dir ${path} has mode ${formatMode(mode)}: other users can list or read transcripts, memories and tokens in it`,
      `chmod 700 ${path}`,
      owned
        ? {
            safeFix: {
              action: `chmod 700 ${path}`,
              apply: () => chmod(path, 0o700),
            },
          }
        : {},
    );
  }
  return ok("state-dir", `state dir ${path} (${mode === undefined ? "exists" : formatMode(mode)})`);
}
