import { existsSync, readFileSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isOpenClawError, type OpenClawError } from "../errors.js";
import { buildExecEnv, DEFAULT_EXEC_ENV_ALLOW_LIST, readExecSecret } from "./exec-source.js";

async function failure(promise: Promise<unknown>): Promise<OpenClawError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isOpenClawError(error)) throw new Error(`expected an OpenClawError, got ${String(error)}`);
  return error;
}

/** A killed process stays a zombie until reaped; on Linux, /proc tells the two apart. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && existsSync("/proc/self")) return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("readExecSecret", () => {
  let dir: string;
  const gatewayEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: "/home/gateway",
    LANG: "C.UTF-8",
    ANTHROPIC_API_KEY: "sk-ant-must-not-leak-0123456789",
    OPENCLAW_GATEWAY_TOKEN: "gateway-token-must-not-leak",
  };
  const run = (command: string[], timeoutMs?: number, envAllowList?: string[]) =>
    readExecSecret(
      "vault-key",
      { source: "exec", command, timeoutMs },
      { env: gatewayEnv, configDir: dir, envAllowList },
    );

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-exec-secret-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("returns stdout without one trailing newline, running argv without a shell", async () => {
    await expect(run(["printf", "%s\\n", "value-from-command"])).resolves.toBe("value-from-command");
    // Without a shell, `$HOME` and `;` are plain argument text.
    await expect(run(["echo", "$HOME; rm -rf /"])).resolves.toBe("$HOME; rm -rf /");
  });

  it("runs relative commands from the config directory", async () => {
    await writeFile(join(dir, "get-key.sh"), "#!/bin/sh\necho from-script\n");
    await chmod(join(dir, "get-key.sh"), 0o700);
    await expect(run(["./get-key.sh"])).resolves.toBe("from-script");
  });

  it("passes only the allow-listed variables of the gateway's environment", async () => {
    const output = await run(["/usr/bin/env"]);
    const names = output.split("\n").map((line) => line.slice(0, line.indexOf("=")));
    expect(names.sort()).toEqual(["HOME", "LANG", "PATH"]);
    expect(output).toContain("HOME=/home/gateway");
    expect(DEFAULT_EXEC_ENV_ALLOW_LIST).toEqual(["PATH", "HOME", "LANG", "TZ"]);

    const extended = await run(["/usr/bin/env"], undefined, ["OPENCLAW_GATEWAY_TOKEN"]);
    expect(extended).toContain("OPENCLAW_GATEWAY_TOKEN=");
    expect(extended).not.toContain("ANTHROPIC_API_KEY");
    expect(buildExecEnv({ TZ: "UTC", OTHER: "x" })).toEqual({ TZ: "UTC" });
  });

  it("reports the first stderr line of a failing command and never its stdout", async () => {
    const error = await failure(
      run(["sh", "-c", "echo secretout; echo boom >&2; echo second-line >&2; exit 3"]),
    );
    expect(error.code).toBe("OC_ERR_SECRET_UNAVAILABLE");
    expect(error.message).toBe('secret "vault-key": command sh exited with code 3: boom');
    expect(error.describe()).not.toContain("secretout");
    expect(error.describe()).not.toContain("second-line");
    expect(JSON.stringify(error.details)).not.toContain("secretout");
    expect(error.hint).toContain("without a shell");
  });

  it("masks stdout that a failing command echoes on stderr", async () => {
    const error = await failure(
      run(["sh", "-c", "echo hunter22-key; echo bad key hunter22-key >&2; exit 1"]),
    );
    expect(error.message).toContain("bad key [secret]");
    expect(error.message).not.toContain("hunter22-key");
  });

  it("kills a command that outlives its timeout, with what it started", async () => {
    const pidFile = join(dir, "pid");
    const started = Date.now();
    const error = await failure(run(["sh", "-c", `sleep 10 & echo $! > ${pidFile}; wait`], 300));
    const elapsed = Date.now() - started;
    expect(error.message).toContain("did not finish within 300 ms");
    expect(error.hint).toContain("timeoutMs");
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);

    const sleepPid = Number((await readFile(pidFile, "utf8")).trim());
    const deadline = Date.now() + 2000;
    while (isRunning(sleepPid) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(isRunning(sleepPid)).toBe(false);
  });

  it("kills a command that prints more than 64 KiB", async () => {
    const error = await failure(run(["sh", "-c", "yes secret-line-output; true"], 5000));
    expect(error.message).toContain("more than 64 KiB");
    expect(error.describe()).not.toContain("secret-line-output");
  });

  it("names a command that does not exist or cannot be executed, or prints nothing", async () => {
    const missing = await failure(run(["openclaw-no-such-helper", "--get"]));
    expect(missing.message).toBe('secret "vault-key": command "openclaw-no-such-helper" was not found');
    expect(missing.hint).toContain("absolute path");

    await writeFile(join(dir, "not-executable.sh"), "echo x\n", { mode: 0o600 });
    const notExecutable = await failure(run([join(dir, "not-executable.sh")]));
    expect(notExecutable.message).toContain("is not executable");

    expect((await failure(run(["true"]))).message).toContain("printed nothing");
  });
});
