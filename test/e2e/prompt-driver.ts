import { spawn } from "node:child_process";
import { CLI_MAIN, REPO_ROOT } from "./harness.js";

export interface PromptedCli {
  /** Waits until `prompt` is shown (after the previous answer), then types `keys`. */
  answer(prompt: string, keys: string): Promise<void>;
  exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
}

export const KEY_DOWN = "\u001b[B";
export const KEY_ENTER = "\r";

/**
 * Runs the CLI with piped stdin and answers its @clack/prompts questions as a person would.
 * Each answer waits for its prompt (an event, not a delay): clack reads one prompt's input at a
 * time, so keys sent ahead of their prompt would be lost.
 */
export function startPromptedCli(args: string[], env: NodeJS.ProcessEnv): PromptedCli {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], {
    env: { ...env, NO_COLOR: "1" },
    cwd: REPO_ROOT,
  });
  let stdout = "";
  let stderr = "";
  let searchFrom = 0;
  const waiters: (() => void)[] = [];
  child.stdout.on("data", (data) => {
    stdout += data;
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.on("data", (data) => {
    stderr += data;
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const answer = async (prompt: string, keys: string) => {
    const deadline = Date.now() + 20_000;
    while (stdout.indexOf(prompt, searchFrom) < 0) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`no prompt "${prompt}" in:\n${stdout}\n${stderr}`);
      }
      // Woken by the next output; the timer only bounds a wait for output that never comes.
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 1000).unref();
      });
    }
    // The answered prompt is redrawn after the keys arrive: the next search starts after it.
    searchFrom = stdout.length;
    child.stdin.write(keys);
  };
  return { answer, exited, stdout: () => stdout, stderr: () => stderr };
}
