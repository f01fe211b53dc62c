import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMAND_TABLE } from "../../src/cli/command-table.js";
import { REPO_ROOT, runCli, type TempHome, tempHome } from "./harness.js";

// What a command loads is what it costs to start (bench/cli measures the time; tests do not, as
// timings on a shared machine say nothing). This records the packages each command imports: the
// gateway's own (fastify, the AI SDK, grammY, pino, dockerode) must load only where they are used.
const RECORDER = `
import { registerHooks } from "node:module";
import { writeFileSync } from "node:fs";
const packages = new Set();
registerHooks({
  resolve(specifier, context, next) {
    const resolved = next(specifier, context);
    const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(resolved.url);
    if (match) packages.add(match[1]);
    return resolved;
  },
});
process.on("exit", () => writeFileSync(process.env.OPENCLAW_TEST_PACKAGES_OUT, JSON.stringify([...packages])));
`;

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

  async function packagesLoadedBy(args: string[]): Promise<{ packages: string[]; stdout: string }> {
    const out = join(home.dir, "packages.json");
    const result = await runCli(args, {
      ...home.env,
      NODE_OPTIONS: `--import ${recorder}`,
      OPENCLAW_TEST_PACKAGES_OUT: out,
    });
    expect(result.stderr).not.toContain("Error");
    return { packages: JSON.parse(await readFile(out, "utf8")) as string[], stdout: result.stdout };
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
    for (const args of [["gateway", "status"], ["agents", "list"], ["logs"]]) {
      const { packages } = await packagesLoadedBy(args);
      expect(packages, args.join(" ")).toEqual(["commander"]);
    }
  });

  it("config commands load the config schema but nothing of the gateway", async () => {
    for (const args of [["config", "validate"], ["status"], ["secrets", "audit"]]) {
      const { packages } = await packagesLoadedBy(args);
      expect(packages, args.join(" ")).toContain("zod");
      for (const heavy of GATEWAY_PACKAGES.filter((name) => name !== "pino")) {
        expect(packages, args.join(" ")).not.toContain(heavy);
      }
    }
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
