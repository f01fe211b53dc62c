import { chmod, mkdir, mkdtemp, rename, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ExternalSecretConfig } from "../config/schema.js";
import { Redactor } from "./redactor.js";
import { SecretStore } from "./secret-store.js";

async function waitFor(condition: () => boolean, timeoutMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const ENV_VALUE = "sk-ant-env-value-0001";
const FILE_VALUE = "sk-file-value-0001";
const EXEC_VALUE = "exec-value-0001";

describe("SecretStore", () => {
  let dir: string;
  let keyPath: string;
  let env: NodeJS.ProcessEnv;
  let logLines: string[];
  let redactor: Redactor;
  let store: SecretStore;
  let rotated: string[];
  const values = () => [ENV_VALUE, FILE_VALUE, EXEC_VALUE, "sk-ant-env-value-0002", "sk-file-value-0002"];

  const declarations = (): Record<string, ExternalSecretConfig> => ({
    "claude-api-key": { source: "env", key: "ANTHROPIC_API_KEY" },
    "file-key": { source: "file", path: "keys/file.key" },
    "exec-key": { source: "exec", command: ["cat", "exec-output"] },
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-secret-store-"));
    await mkdir(join(dir, "keys"), { mode: 0o700 });
    keyPath = join(dir, "keys", "file.key");
    await writeFile(keyPath, `${FILE_VALUE}\n`, { mode: 0o600 });
    await writeFile(join(dir, "exec-output"), EXEC_VALUE);
    env = { PATH: process.env.PATH, ANTHROPIC_API_KEY: ENV_VALUE };
    logLines = [];
    const logger = pino({ level: "trace" }, { write: (line: string) => logLines.push(line) });
    redactor = new Redactor();
    store = new SecretStore({ logger, redactor, env, configDir: dir, watchDebounceMs: 20 });
    rotated = [];
    store.onRotate((name) => rotated.push(name));
  });
  afterEach(async () => {
    store.close();
    // Whatever happened in the test, no value was ever logged.
    const log = logLines.join("");
    for (const value of values()) expect(log).not.toContain(value);
    await rm(dir, { recursive: true, force: true });
  });

  it("loads every source, registers the values with the redactor and reports their status", async () => {
    await store.load(declarations());
    expect(store.get("claude-api-key")).toBe(ENV_VALUE);
    expect(store.get("file-key")).toBe(FILE_VALUE);
    expect(store.get("exec-key")).toBe(EXEC_VALUE);
    expect(redactor.redact(`${ENV_VALUE} ${FILE_VALUE} ${EXEC_VALUE}`)).toBe("[secret] [secret] [secret]");

    expect(
      store
        .list()
        .map(({ name, source, detail, status, rotations }) => ({ name, source, detail, status, rotations })),
    ).toEqual([
      { name: "claude-api-key", source: "env", detail: "ANTHROPIC_API_KEY", status: "ok", rotations: 0 },
      { name: "exec-key", source: "exec", detail: "cat", status: "ok", rotations: 0 },
      { name: "file-key", source: "file", detail: keyPath, status: "ok", rotations: 0 },
    ]);
    expect(Date.parse(store.status("file-key")?.loadedAt ?? "")).not.toBeNaN();
    expect(JSON.stringify(store.list())).not.toContain(FILE_VALUE);
    expect(rotated).toEqual([]);
  });

  it("records a secret that cannot be read as missing, without failing the others", async () => {
    delete env.ANTHROPIC_API_KEY;
    await chmod(keyPath, 0o644);
    await store.load(declarations());
    expect(store.has("claude-api-key")).toBe(false);
    expect(store.status("claude-api-key")).toMatchObject({
      status: "missing",
      error: expect.stringContaining("ANTHROPIC_API_KEY"),
    });
    expect(store.status("file-key")).toMatchObject({ status: "missing", hint: `chmod 600 ${keyPath}` });
    expect(store.get("exec-key")).toBe(EXEC_VALUE);
    expect(logLines.join("")).toContain("external secret cannot be read");
  });

  it("reload swaps in a rotated value, keeps the last good one when the source fails, and recovers", async () => {
    await store.load(declarations());
    env.ANTHROPIC_API_KEY = "sk-ant-env-value-0002";
    expect(await store.reload()).toEqual({
      changed: ["claude-api-key"],
      unchanged: ["exec-key", "file-key"],
      failed: [],
    });
    expect(store.get("claude-api-key")).toBe("sk-ant-env-value-0002");
    expect(redactor.leaks("sk-ant-env-value-0002")).toBe(true);
    expect(store.status("claude-api-key")).toMatchObject({
      status: "ok",
      rotations: 1,
      lastRotationAt: expect.any(String),
    });
    expect(rotated).toEqual(["claude-api-key"]);

    await rm(join(dir, "exec-output"));
    expect(await store.reload(["exec-key"])).toEqual({ changed: [], unchanged: [], failed: ["exec-key"] });
    expect(store.get("exec-key")).toBe(EXEC_VALUE);
    expect(store.status("exec-key")).toMatchObject({
      status: "degraded",
      error: expect.stringContaining("exited with code 1"),
    });
    expect(logLines.join("")).toContain("keeping the last good value");

    await writeFile(join(dir, "exec-output"), EXEC_VALUE);
    expect(await store.reload(["exec-key"])).toEqual({ changed: [], unchanged: ["exec-key"], failed: [] });
    expect(store.status("exec-key")).toMatchObject({ status: "ok", rotations: 0 });
    expect(store.status("exec-key")?.error).toBeUndefined();
    expect(rotated).toEqual(["claude-api-key"]);
  });

  it("reports a secret that appears on reload as changed and tells listeners", async () => {
    delete env.ANTHROPIC_API_KEY;
    await store.load(declarations());
    env.ANTHROPIC_API_KEY = ENV_VALUE;
    expect((await store.reload(["claude-api-key"])).changed).toEqual(["claude-api-key"]);
    expect(store.status("claude-api-key")).toMatchObject({ status: "ok", rotations: 0 });
    expect(rotated).toEqual(["claude-api-key"]);
  });

  it("refuses to reload an undeclared name, listing the declared ones", async () => {
    await store.load(declarations());
    await expect(store.reload(["claude-key"])).rejects.toMatchObject({
      code: "OC_ERR_SECRET_UNKNOWN",
      hint: expect.stringContaining('"claude-api-key", "exec-key", "file-key"'),
    });
  });

  it("picks up a watched file rewritten in place or replaced by rename, without a call", async () => {
    await store.load(declarations());
    await writeFile(keyPath, "sk-file-value-0002\n");
    await waitFor(() => store.get("file-key") === "sk-file-value-0002");
    expect(rotated).toEqual(["file-key"]);
    expect(redactor.leaks("sk-file-value-0002")).toBe(true);

    const temporary = join(dir, "keys", ".file.key.tmp");
    await writeFile(temporary, FILE_VALUE, { mode: 0o600 });
    await rename(temporary, keyPath);
    await waitFor(() => store.get("file-key") === FILE_VALUE);
    expect(rotated).toEqual(["file-key", "file-key"]);
    expect(store.status("file-key")).toMatchObject({ status: "ok", rotations: 2 });
  });

  it("keeps the last good value while a watched file is unsafe, and stops watching on close", async () => {
    await store.load(declarations());
    const temporary = join(dir, "keys", "new.key");
    await writeFile(temporary, "sk-file-value-0002", { mode: 0o644 });
    await chmod(temporary, 0o644);
    await rename(temporary, keyPath);
    await waitFor(() => store.status("file-key")?.status === "degraded");
    expect(store.get("file-key")).toBe(FILE_VALUE);
    expect(store.status("file-key")?.hint).toBe(`chmod 600 ${keyPath}`);

    await chmod(keyPath, 0o600);
    await waitFor(() => store.get("file-key") === "sk-file-value-0002");
    expect(store.status("file-key")?.status).toBe("ok");

    store.close();
    await writeFile(keyPath, FILE_VALUE);
    await pause(200);
    expect(store.get("file-key")).toBe("sk-file-value-0002");
  });

  it("follows a Kubernetes-style rotation that swaps a directory symlink", async () => {
    const mount = join(dir, "mount");
    await mkdir(join(mount, "..v1"), { recursive: true });
    await mkdir(join(mount, "..v2"));
    await writeFile(join(mount, "..v1", "token"), FILE_VALUE, { mode: 0o600 });
    await writeFile(join(mount, "..v2", "token"), "sk-file-value-0002", { mode: 0o600 });
    await symlink("..v1", join(mount, "..data"));
    await symlink("..data/token", join(mount, "token"));
    await store.load({ "k8s-token": { source: "file", path: "mount/token" } });
    expect(store.get("k8s-token")).toBe(FILE_VALUE);

    await symlink("..v2", join(mount, "..data_tmp"));
    await rename(join(mount, "..data_tmp"), join(mount, "..data"));
    await waitFor(() => store.get("k8s-token") === "sk-file-value-0002");
    expect(rotated).toEqual(["k8s-token"]);
  });

  it("applies changed declarations on load: adds, removes, re-reads changed ones and keeps the rest", async () => {
    await store.load(declarations());
    // Unchanged declarations are not read again, so this change is not seen by load().
    env.ANTHROPIC_API_KEY = "sk-ant-env-value-0002";
    await writeFile(join(dir, "other.key"), "sk-file-value-0002", { mode: 0o600 });
    const { "exec-key": _removed, ...kept } = declarations();
    await store.load({
      ...kept,
      "file-key": { source: "file", path: "other.key" },
      "openai-api-key": { source: "env", key: "ANTHROPIC_API_KEY" },
    });
    expect(store.get("claude-api-key")).toBe(ENV_VALUE);
    expect(store.status("exec-key")).toBeUndefined();
    expect(store.get("exec-key")).toBeUndefined();
    expect(store.get("file-key")).toBe("sk-file-value-0002");
    expect(store.status("file-key")).toMatchObject({ detail: join(dir, "other.key"), rotations: 1 });
    expect(store.get("openai-api-key")).toBe("sk-ant-env-value-0002");
    expect(rotated).toEqual(["file-key"]);

    // The old file is no longer watched; the new one is.
    await writeFile(keyPath, "sk-file-value-0003");
    await writeFile(join(dir, "other.key"), FILE_VALUE);
    await waitFor(() => store.get("file-key") === FILE_VALUE);
    await pause(100);
    expect(store.get("file-key")).toBe(FILE_VALUE);
  });

  it("does not serve the old source's value when a redeclared source fails", async () => {
    await store.load(declarations());
    await store.load({ ...declarations(), "file-key": { source: "file", path: "missing.key" } });
    expect(store.get("file-key")).toBeUndefined();
    expect(store.status("file-key")).toMatchObject({
      status: "missing",
      error: expect.stringContaining("does not exist"),
    });
  });
});
