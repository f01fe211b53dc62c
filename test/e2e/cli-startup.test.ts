import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMAND_TABLE } from "../../src/cli/command-table.js";
import { CLI_MAIN, MODULAR_CLI_MAIN, REPO_ROOT, runCli, type TempHome, tempHome } from "./harness.js";

// What a command loads is what it costs to start (bench/cli measures the time; tests do not, as
// timings on a shared machine say nothing). This records the packages each command imports: the
// gateway's own (fastify, the AI SDK, grammY, pino, dockerode) must load only where they are used.
// It records the built-ins imported too (an ESM import of node:http builds its whole export
// facade, undici included: tens of ms) and the modules of dist/ (none for the launcher's --version).
// Commands run tsc's modules (dist/cli/main.js), where each package is its own file: the bundle
// `openclaw` runs (dist/bundle/) keeps the same import() boundaries, as its chunks are cut there.
const RECORDER = `
import { registerHooks } from "node:module";
import { writeFileSync } from "node:fs";
const packages = new Set();
const builtins = new Set();
const ownModules = new Set();
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(resolved.url);
    if (match) packages.add(match[1]);
    else if (resolved.url.startsWith("node:")) builtins.add(resolved.url);
    else if (resolved.url.includes("/dist/")) ownModules.add(resolved.url.slice(resolved.url.indexOf("/dist/") + 1));
    return resolved;
  },
});
process.on("exit", () =>
  writeFileSync(
    process.env.OPENCLAW_TEST_PACKAGES_OUT,
    JSON.stringify({ packages: [...packages], builtins: [...builtins], ownModules: [...ownModules] }),
  ),
);
`;

interface Loaded {
  packages: string[];
  builtins: string[];
  ownModules: string[];
  stdout: string;
}

const GATEWAY_PACKAGES = ["fastify", "ai", "@ai-sdk/openai", "grammy", "pino", "dockerode", "ws"];

describe("CLI start-up loads only what the command uses", () => {
  let home: TempHome;
  let recorder: string;

  beforeAll(async () => {
    home = await tempHome();
    recorder = join(home.dir, "record-packages.mjs");
    await writeFile(recorder, RECORDER);
  });
  afterAll(async () => {
    await home?.cleanup();
  });

  async function record(
    run: (env: NodeJS.ProcessEnv) => Promise<{ stdout: string; stderr: string }>,
    baseEnv: NodeJS.ProcessEnv = home.env,
  ) {
    const out = join(home.dir, "packages.json");
    const result = await run({
      ...baseEnv,
      NODE_OPTIONS: `--import ${recorder}`,
      OPENCLAW_TEST_PACKAGES_OUT: out,
    });
    expect(result.stderr).not.toContain("Error");
    return { ...(JSON.parse(await readFile(out, "utf8")) as Omit<Loaded, "stdout">), stdout: result.stdout };
  }

  function packagesLoadedBy(args: string[], baseEnv?: NodeJS.ProcessEnv): Promise<Loaded> {
    return record((env) => runCli(args, env, 30_000, MODULAR_CLI_MAIN), baseEnv);
  }

  /** Through bin/openclaw.mjs, as a user runs it (it starts the bundle when built). */
  function loadedThroughLauncher(args: string[]): Promise<Loaded> {
    return record(
      (env) =>
        new Promise((resolve, reject) =>
          execFile(
            process.execPath,
            [join(REPO_ROOT, "bin/openclaw.mjs"), ...args],
            { env },
            (error, stdout, stderr) => (error ? reject(error) : resolve({ stdout, stderr })),
          ),
        ),
    );
  }

  it("--version loads no package at all", async () => {
    const { packages, stdout } = await packagesLoadedBy(["--version"]);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(packages).toEqual([]);
  });

  it("--help loads commander only, and lists every command with its description", async () => {
    const { packages, stdout } = await packagesLoadedBy(["--help"]);
    expect(packages).toEqual(["commander"]);
    for (const entry of COMMAND_TABLE) expect(stdout).toMatch(new RegExp(`\\n  ${entry.name}\\b.*`));
    expect(stdout).toContain("run and control the gateway process");
  });

  it("a command's own help loads that command: its subcommands are listed", async () => {
    const { stdout } = await packagesLoadedBy(["help", "gateway"]);
    expect(stdout).toContain("status");
    expect(stdout).toContain("token");
  });

  it("looking for a gateway that is not running loads no schema library", async () => {
    for (const args of [["agents", "list"], ["logs"]]) {
      const { packages } = await packagesLoadedBy(args);
      expect(packages, args.join(" ")).toEqual(["commander"]);
    }
    // The fast path (src/cli/fast-path.ts): not even commander.
    for (const args of [
      ["gateway", "status"],
      ["gateway", "status", "--json"],
    ]) {
      const { packages } = await packagesLoadedBy(args);
      expect(packages, args.join(" ")).toEqual([]);
    }
  });

  it("config get, gateway token and status load no zod once the validated config is cached", async () => {
    const cached = await tempHome(`{ gateway: { port: 18792, auth: { mode: "none" } } }`);
    try {
      await mkdir(cached.stateDir, { recursive: true });
      const first = await packagesLoadedBy(["config", "get", "gateway.port"], cached.env);
      expect(first.packages).toContain("zod");
      for (const args of [
        ["config", "get", "gateway.port"],
        ["gateway", "token"],
      ]) {
        const { packages } = await packagesLoadedBy(args, cached.env);
        expect(packages, args.join(" ")).toEqual([]);
      }
      const status = await packagesLoadedBy(["status"], cached.env);
      expect(status.packages).toEqual(["commander"]);
      expect(status.stdout).toContain("config: valid");
      // A file changed since: its key is another, so the schema validates it again.
      await writeFile(cached.configPath, `{ gateway: { port: 18793, auth: { mode: "none" } } }`);
      const edited = await packagesLoadedBy(["config", "get", "gateway.port"], cached.env);
      expect(edited.packages).toContain("zod");
      expect(edited.stdout).toBe("18793\n");
    } finally {
      await cached.cleanup();
    }
  });

  it("config commands load the config schema but nothing of the gateway, not even pino", async () => {
    for (const args of [["config", "validate"], ["status"], ["secrets", "list"], ["secrets", "audit"]]) {
      const { packages } = await packagesLoadedBy(args);
      expect(packages, args.join(" ")).toContain("zod");
      for (const heavy of GATEWAY_PACKAGES) expect(packages, args.join(" ")).not.toContain(heavy);
    }
  });

  it("doctor loads none of the gateway's packages", async () => {
    const { packages } = await packagesLoadedBy(["doctor"]);
    for (const heavy of GATEWAY_PACKAGES) expect(packages).not.toContain(heavy);
  });

  it("local commands import neither node:http nor node:https (the gateway client takes them when it sends)", async () => {
    const commands = [
      ["config", "validate"],
      ["status"],
      ["secrets", "list"],
      ["agents", "list"],
      ["gateway", "status"],
    ];
    for (const args of commands) {
      const { builtins } = await packagesLoadedBy(args);
      expect(builtins, args.join(" ")).toContain("node:fs");
      expect(builtins, args.join(" ")).not.toContain("node:http");
      expect(builtins, args.join(" ")).not.toContain("node:https");
    }
  });

  it("the launcher answers --version and -V from package.json, loading nothing of dist/", async () => {
    const { version } = JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")) as {
      version: string;
    };
    for (const flag of ["--version", "-V"]) {
      const { ownModules, packages, stdout } = await loadedThroughLauncher([flag]);
      expect(stdout).toBe(`${version}\n`);
      expect(ownModules).toEqual([]);
      expect(packages).toEqual([]);
    }
    // Anything else goes on to dist/ (so the check above is not vacuous).
    const { ownModules } = await loadedThroughLauncher(["--help"]);
    expect(ownModules).toContain(relative(REPO_ROOT, CLI_MAIN));
  });

  it("a compile cache that cannot be created never fails a command", async () => {
    // HOME is a file: ~/.cache cannot be made, so the launcher runs without the cache.
    const notADirectory = join(home.dir, "not-a-directory");
    await writeFile(notADirectory, "");
    const env: NodeJS.ProcessEnv = { ...home.env, HOME: notADirectory, XDG_CACHE_HOME: "" };
    delete env.NODE_COMPILE_CACHE;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [join(REPO_ROOT, "bin/openclaw.mjs"), "config", "validate"],
        { env },
        (error, out) => (error ? reject(error) : resolve(out)),
      ),
    );
    expect(stdout).toContain("config valid:");
  });

  it("the launcher keeps V8's compile cache in the user's own cache dir, not the shared /tmp", async () => {
    const env: NodeJS.ProcessEnv = { ...home.env, HOME: home.dir, XDG_CACHE_HOME: "" };
    delete env.NODE_COMPILE_CACHE;
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [join(REPO_ROOT, "bin/openclaw.mjs"), "--help"], { env }, (error, out) =>
        error ? reject(error) : resolve(out),
      ),
    );
    expect(stdout).toContain("Usage: openclaw");
    expect(existsSync(join(home.dir, ".cache/openclaw/compile"))).toBe(true);
  });
});
