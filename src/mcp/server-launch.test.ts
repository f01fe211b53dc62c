import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Confinement, DEFAULT_CONFINEMENT_LIMITS } from "../confinement/index.js";
import { openTransport } from "./open-transport.js";
import {
  confinedServerArgv,
  containerServerCommand,
  resolveCommand,
  SERVER_CPU_SECONDS,
  serverDirectory,
} from "./server-launch.js";

const root = realpathSync(mkdtempSync(join(tmpdir(), "mcp-launch-")));
const placement = {
  root,
  hidden: ["/state"],
  network: "none" as const,
  confinement: "bubblewrap" as const,
  sandboxed: false,
};

/** A confinement that builds a bwrap-like argv, as the real one does, without running anything. */
function recordingConfinement(seen: unknown[]): Confinement {
  return {
    availability: async () => ({ available: true }) as never,
    spawn: async () => {
      throw new Error("not used");
    },
    command: async (argv, policy) => {
      seen.push(policy);
      const env = Object.entries(policy.env).flatMap(([name, value]) => ["--setenv", name, value]);
      return {
        argv: ["/usr/bin/bwrap", "--unshare-pid", "--chdir", policy.cwd, "--clearenv", ...env, "--", ...argv],
      };
    },
  };
}

describe("stdio server launch", () => {
  it("confines the server like exec, with a server's CPU budget, and no --clearenv or env in the argv", async () => {
    const seen: unknown[] = [];
    const { argv } = await confinedServerArgv(
      recordingConfinement(seen),
      ["/usr/bin/node", "server.js", "--flag"],
      placement,
      root,
      DEFAULT_CONFINEMENT_LIMITS,
    );
    expect(argv).not.toContain("--clearenv");
    expect(argv).not.toContain("--setenv");
    expect(argv.slice(-4)).toEqual(["--", "/usr/bin/node", "server.js", "--flag"]);
    expect(seen[0]).toMatchObject({
      writable: [root],
      hidden: ["/state"],
      network: "none",
      env: {},
      limits: { cpuSeconds: SERVER_CPU_SECONDS, pids: DEFAULT_CONFINEMENT_LIMITS.pids },
    });
  });

  it("keeps cwd inside the workspace", () => {
    expect(serverDirectory(root, undefined)).toBe(root);
    expect(serverDirectory(root, ".")).toBe(root);
    expect(() => serverDirectory(root, "../elsewhere")).toThrow(/outside the agent's workspace/);
  });

  it("finds the program on PATH, or says it is not there", () => {
    expect(resolveCommand("node", process.env.PATH ?? "", root)).toMatch(/\/node$/);
    expect(() => resolveCommand("no-such-mcp-server-x", "/usr/bin:/bin", root)).toThrow(
      /not found on the gateway's PATH/,
    );
  });

  it("refuses a stdio server for a sandboxed agent instead of running it on the host", async () => {
    await expect(
      openTransport({
        server: "fs",
        launch: { kind: "stdio", command: "node", args: [], env: {} },
        placement: { ...placement, sandboxed: true },
        confinement: recordingConfinement([]),
        searchPath: process.env.PATH ?? "",
      }),
    ).rejects.toMatchObject({
      code: "OC_ERR_MCP_SERVER",
      message: expect.stringContaining("sandboxed agent"),
    });
  });

  it("runs a sandboxed agent's server in its container, secrets by name only on the docker argv", () => {
    const container = { name: "openclaw-boxed", user: "1000:1000", workdir: "/workspace" };
    const launch = {
      kind: "stdio" as const,
      command: "sh",
      args: ["server.sh"],
      env: { TOKEN: "s3cret" },
      cwd: "tools",
    };
    const { command, args, env } = containerServerCommand(container, launch, "/usr/bin");
    expect(command).toBe("docker");
    expect(args).toEqual([
      "exec",
      "-i",
      "-u",
      "1000:1000",
      "-w",
      "/workspace/tools",
      "-e",
      "TOKEN",
      "openclaw-boxed",
      "sh",
      "server.sh",
    ]);
    expect(args.join(" ")).not.toContain("s3cret");
    expect(env).toMatchObject({ TOKEN: "s3cret", PATH: "/usr/bin" });
    expect(() => containerServerCommand(container, { ...launch, cwd: "../etc" }, "/usr/bin")).toThrow(
      /outside/,
    );
  });
});

describe("programDirectoriesOf", () => {
  it("shows a Node server's whole package tree, and a plain program's directory", async () => {
    const { mkdirSync, writeFileSync } = await import("node:fs");
    const { programDirectoriesOf } = await import("./server-launch.js");
    const root = realpathSync(mkdtempSync(join(tmpdir(), "openclaw-program-dirs-")));
    mkdirSync(join(root, "node_modules", "pkg", "dist"), { recursive: true });
    writeFileSync(join(root, "node_modules", "pkg", "dist", "index.js"), "");
    writeFileSync(join(root, "tool"), "");
    expect(
      programDirectoriesOf([
        join(root, "tool"),
        join(root, "node_modules", "pkg", "dist", "index.js"),
        "--flag",
        "relative/x",
        "/nonexistent/bin",
      ]),
    ).toEqual([root, join(root, "node_modules")]);
    expect(programDirectoriesOf(["/bin/sh", "-c", "true"])).toEqual(["/bin"]);
  });
});
