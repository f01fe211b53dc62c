import { spawn } from "node:child_process";
import { imageBuildFailed } from "./image-build-errors.js";

/** What to tell the user when a host program is missing or fails. */
export interface HostCommandFailure {
  /** What was being done, e.g. "downloading busybox-static". */
  doing: string;
  hint: string;
  /** Hint when the program itself is not installed. */
  missingHint: string;
}

/** Only the tail of stderr is kept: it is where apt and tar say what went wrong. */
const MAX_STDERR_CHARS = 4096;

/** The last non-blank stderr line that is an error rather than a warning, else the last one. */
function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  return lines.findLast((line) => !line.startsWith("W:")) ?? lines.at(-1) ?? "";
}

/** Runs a program without a shell; resolves with its stdout, rejects with a typed error. */
export function runHostCommand(
  command: string,
  args: readonly string[],
  failure: HostCommandFailure,
  cwd?: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const stdout: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-MAX_STDERR_CHARS);
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      const missing = error.code === "ENOENT";
      reject(
        imageBuildFailed(
          missing ? `${failure.doing}: ${command} is not installed` : `${failure.doing}: ${error.message}`,
          missing ? failure.missingHint : failure.hint,
          { command, errno: error.code },
          error,
        ),
      );
    });
    child.on("close", (exitCode, signal) => {
      if (exitCode === 0) {
        resolve(Buffer.concat(stdout).toString("utf8"));
        return;
      }
      const why = lastErrorLine(stderr) || (signal ? `killed by ${signal}` : `exit code ${exitCode}`);
      reject(imageBuildFailed(`${failure.doing} failed: ${why}`, failure.hint, { command, exitCode }));
    });
  });
}
