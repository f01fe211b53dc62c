import { type ChildProcess, spawn } from "node:child_process";
import { type ExecProtocolRequest, execProtocolRequest, selectExecReply } from "./exec-protocol.js";
import { SECRET_MASK } from "./redactor.js";
import { formatKibibytes, secretUnavailable } from "./secret-errors.js";
import { MAX_SECRET_BYTES, trimTrailingNewline } from "./secret-value.js";

/**
 * Variables a secret command inherits from the gateway; everything else (other secrets, tokens
 * of the gateway's own environment) stays out of a program that is not ours.
 */
export const DEFAULT_EXEC_ENV_ALLOW_LIST: readonly string[] = ["PATH", "HOME", "LANG", "TZ"];
export const DEFAULT_EXEC_TIMEOUT_MS = 10_000;

/** Only the first line is ever shown; the rest is read and dropped so the pipe never fills. */
const MAX_STDERR_BYTES = 8 * 1024;
const MAX_STDERR_LINE_LENGTH = 200;
/** Stdout lines shorter than this are not masked in stderr: they would mask ordinary words. */
const MIN_MASKED_LENGTH = 6;

export interface ExecSecretDeclaration {
  source: "exec";
  command: string[];
  timeoutMs?: number | undefined;
  passEnv?: readonly string[] | undefined;
  /** Speak OpenClaw's JSON protocol v1 (request on stdin, reply on stdout) rather than take stdout as the value. */
  json?: ExecProtocolRequest | undefined;
}

export interface ExecSecretOptions {
  /** The gateway's environment, from which the allow-listed variables are copied. */
  env: NodeJS.ProcessEnv;
  /** Working directory of the command, so that `./get-key.sh` is relative to the config file. */
  configDir: string;
  /** Variables passed through in addition to DEFAULT_EXEC_ENV_ALLOW_LIST. */
  envAllowList?: readonly string[];
}

/** The whole environment of a secret command: the allow-listed variables that are set, nothing else. */
export function buildExecEnv(
  env: NodeJS.ProcessEnv,
  extraAllowList: readonly string[] = [],
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const key of new Set([...DEFAULT_EXEC_ENV_ALLOW_LIST, ...extraAllowList])) {
    const value = env[key];
    if (value !== undefined) result[key] = value;
  }
  return result;
}

/**
 * The command runs in its own process group so that a timeout kills what it started too: a
 * `sh -c` wrapper killed alone would leave its child holding the pipe, and the gateway waiting.
 */
function killProcessGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}

/**
 * The first non-blank line of stderr, shortened. A helper that fails after printing the secret
 * might echo it in its error too, so every line it printed on stdout is masked here.
 */
function firstStderrLine(stderr: Buffer, stdout: Buffer): string {
  const line = stderr
    .toString("utf8")
    .split(/\r?\n/)
    .map((text) => text.trim())
    .find((text) => text !== "");
  if (line === undefined) return "";
  let masked = line;
  for (const printed of stdout.toString("utf8").split(/\r?\n/)) {
    const candidate = printed.trim();
    if (candidate.length >= MIN_MASKED_LENGTH) masked = masked.split(candidate).join(SECRET_MASK);
  }
  return masked.length > MAX_STDERR_LINE_LENGTH ? `${masked.slice(0, MAX_STDERR_LINE_LENGTH)}…` : masked;
}

function spawnFailure(name: string, command: string, error: NodeJS.ErrnoException, path: string): Error {
  const details = { source: "exec", command, errno: error.code };
  if (error.code === "ENOENT") {
    return secretUnavailable(
      name,
      `command "${command}" was not found`,
      `install it, or set externalSecrets.${name}.command[0] to its absolute path (it was looked up in PATH=${path})`,
      details,
      error,
    );
  }
  if (error.code === "EACCES") {
    return secretUnavailable(
      name,
      `command "${command}" is not executable`,
      `make it executable (\`chmod +x ${command}\`) or run it through its interpreter, e.g. ["sh", "${command}"]`,
      details,
      error,
    );
  }
  return secretUnavailable(
    name,
    `command "${command}" could not be started (${error.code ?? error.message})`,
    `check externalSecrets.${name}.command`,
    details,
    error,
  );
}

/**
 * Runs a command without a shell and returns what it prints on stdout. Stdout is never part of an
 * error: a helper that prints the key and then fails would otherwise put the key in a log.
 */
export function readExecSecret(
  name: string,
  declaration: ExecSecretDeclaration,
  options: ExecSecretOptions,
): Promise<string> {
  const [command = "", ...args] = declaration.command;
  const timeoutMs = declaration.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  const env = buildExecEnv(options.env, [...(options.envAllowList ?? []), ...(declaration.passEnv ?? [])]);
  const passed = Object.keys(env).join(", ") || "no variables";
  const hint = `run it by hand as the gateway user; it runs without a shell, in ${options.configDir}, with only ${passed} from the gateway's environment`;
  const details = { source: "exec", command };

  return new Promise((resolvePromise, reject) => {
    let settled = false;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrBytes = 0;
    let child: ChildProcess;
    let timer: NodeJS.Timeout | undefined;

    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      reject(error);
    };

    try {
      child = spawn(command, args, {
        shell: false,
        env,
        cwd: options.configDir,
        stdio: [declaration.json ? "pipe" : "ignore", "pipe", "pipe"],
        detached: true,
        windowsHide: true,
      });
    } catch (error) {
      fail(spawnFailure(name, command, error as NodeJS.ErrnoException, env.PATH ?? "(unset)"));
      return;
    }

    if (declaration.json) {
      // A resolver that exits without reading its request must fail on its exit code, not on EPIPE.
      child.stdin?.on("error", () => {});
      child.stdin?.end(execProtocolRequest(declaration.json));
    }

    const abort = (error: Error): void => {
      killProcessGroup(child);
      child.stdout?.destroy();
      child.stderr?.destroy();
      fail(error);
    };

    timer = setTimeout(() => {
      abort(
        secretUnavailable(
          name,
          `command ${command} did not finish within ${timeoutMs} ms and was killed`,
          `check that it does not wait for a prompt or the network, or raise externalSecrets.${name}.timeoutMs (at most 120000)`,
          { ...details, timeoutMs },
        ),
      );
    }, timeoutMs);

    child.stdout?.on("data", (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > MAX_SECRET_BYTES) {
        abort(
          secretUnavailable(
            name,
            `command ${command} printed more than ${formatKibibytes(MAX_SECRET_BYTES)} and was killed`,
            "make it print only the secret on stdout",
            details,
          ),
        );
        return;
      }
      stdout.push(chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      if (stderrBytes < MAX_STDERR_BYTES) stderr.push(chunk);
      stderrBytes += chunk.length;
    });

    child.on("error", (error: NodeJS.ErrnoException) => {
      fail(spawnFailure(name, command, error, env.PATH ?? "(unset)"));
    });

    child.on("close", (code, signal) => {
      if (settled) return;
      const output = Buffer.concat(stdout);
      if (code !== 0) {
        const line = firstStderrLine(Buffer.concat(stderr), output);
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        fail(
          secretUnavailable(
            name,
            `command ${command} ${how}${line ? `: ${line}` : " (no error output)"}`,
            hint,
            {
              ...details,
              exitCode: code,
              signal,
            },
          ),
        );
        return;
      }
      if (declaration.json) {
        try {
          const selected = selectExecReply(name, command, output.toString("utf8"), declaration.json);
          settled = true;
          clearTimeout(timer);
          resolvePromise(selected);
        } catch (error) {
          fail(error as Error);
        }
        return;
      }
      const value = trimTrailingNewline(output.toString("utf8"));
      if (value === "") {
        fail(
          secretUnavailable(
            name,
            `command ${command} printed nothing`,
            "make it print the secret on stdout",
            details,
          ),
        );
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolvePromise(value);
    });
  });
}
