import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ToolContext, ToolInputError } from "../../tool.js";
import { createHostCommandRunner } from "../host-runner.js";
import type { WorkspaceAccess } from "../workspace-types.js";

/** Planted next to the workspace: no tool may ever return it. */
export const OUTSIDE_SECRET = "outside-secret-do-not-leak";

export interface TempWorkspace {
  /** The workspace root, symlink-free. */
  root: string;
  /** A sibling directory of the workspace, holding `secret.txt`. */
  outside: string;
  context(overrides?: Partial<WorkspaceAccess>): ToolContext;
  remove(): Promise<void>;
}

/** A real workspace directory in the system temp dir, with a directory beside it to escape to. */
export async function createTempWorkspace(): Promise<TempWorkspace> {
  const base = await realpath(await mkdtemp(join(tmpdir(), "openclaw-workspace-")));
  const root = join(base, "workspace");
  const outside = join(base, "outside");
  await mkdir(root);
  await mkdir(outside);
  await writeFile(join(outside, "secret.txt"), `${OUTSIDE_SECRET}\n`);
  return {
    root,
    outside,
    context(overrides = {}) {
      const workspace: WorkspaceAccess = {
        root,
        sandboxed: false,
        confined: true,
        runner: createHostCommandRunner(root),
        execTimeoutMs: 10_000,
        ...overrides,
      };
      const context = {
        agentId: "coder",
        sessionKey: "main",
        signal: new AbortController().signal,
        workspace,
      };
      return context as ToolContext;
    },
    remove: () => rm(base, { recursive: true, force: true }),
  };
}

/** A context of an agent that has no workspace. */
export function contextWithoutWorkspace(): ToolContext {
  return { agentId: "coder", sessionKey: "main", signal: new AbortController().signal };
}

/** Awaits a tool call that must be refused, and returns the refusal's message. */
export async function refusalOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  // Plain throws, not vitest's expect: this file is not a test file and is built with the rest.
  if (!(error instanceof ToolInputError)) {
    throw new Error(`expected a ToolInputError, got ${error === undefined ? "success" : String(error)}`);
  }
  if (error.message.includes(OUTSIDE_SECRET))
    throw new Error(`refusal leaks the outside secret: ${error.message}`);
  return error.message;
}
