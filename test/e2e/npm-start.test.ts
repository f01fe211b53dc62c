import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
} from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./harness.js";

interface Started {
  child: ChildProcess;
  output(): string;
  url: string;
  token: string;
}

/**
 * `npm start` in a fresh copy of the checkout (tracked files only, no dist/, the shared
 * node_modules linked in): it builds what is missing, and on later starts only what changed.
 */
describe("npm start", () => {
  let clone: string;
  let home: string;
  const running: ChildProcess[] = [];

  beforeAll(() => {
    clone = mkdtempSync(join(tmpdir(), "openclaw-npm-start-"));
    home = join(clone, ".home");
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    })
      .split("\n")
      .filter((file) => file !== "" && file !== "node_modules");
    for (const file of files) {
      mkdirSync(dirname(join(clone, file)), { recursive: true });
      cpSync(join(REPO_ROOT, file), join(clone, file));
    }
    symlinkSync(join(REPO_ROOT, "node_modules"), join(clone, "node_modules"));
  });
  afterAll(async () => {
    for (const child of running) await stop(child);
    rmSync(clone, { recursive: true, force: true });
  });

  const environment = (): NodeJS.ProcessEnv => ({
    ...process.env,
    HOME: home,
    OPENCLAW_STATE_DIR: join(home, "state"),
    OPENCLAW_CONFIG_PATH: join(home, "openclaw.json"),
    npm_config_update_notifier: "false",
  });

  async function start(): Promise<Started> {
    // Its own process group: npm, the start script and the gateway are stopped together.
    const child = spawn("npm", ["start", "--", "--port", "0"], {
      cwd: clone,
      detached: true,
      env: environment(),
    });
    running.push(child);
    let output = "";
    child.stdout?.on("data", (data) => {
      output += data;
    });
    const banner = new Promise<{ url: string; token: string }>((resolve, reject) => {
      child.stderr?.on("data", (data) => {
        output += data;
        // The whole line, then its parts: a banner without the token fails here, not by timeout.
        const line = /control UI: (.*)\n/.exec(output)?.[1];
        if (line === undefined) return;
        const match = /^(http:\/\/127\.0\.0\.1:\d+)\/#token=([\w-]{43})$/.exec(line);
        if (match) resolve({ url: match[1] as string, token: match[2] as string });
        else reject(new Error(`the banner's control UI line has no token: ${line}\n${output}`));
      });
      child.once("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
    const { url, token } = await banner;
    return { child, output: () => output, url, token };
  }

  async function stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-(child.pid as number), "SIGTERM");
    await exited;
  }

  const mtime = (path: string) => statSync(join(clone, path)).mtimeMs;

  it("builds a fresh clone, then prints the Control UI link with a token that works", async () => {
    const first = await start();
    expect(first.output()).toContain("compiling the gateway (tsc)");
    expect(first.output()).toContain("building the Control UI (vite)");
    const response = await fetch(`${first.url}/__openclaw__/status`, {
      headers: { authorization: `Bearer ${first.token}` },
    });
    expect(response.status).toBe(200);
    // The CLI knows it for the gateway it is (gateway.json's pid runs `… gateway run`).
    const status = execFileSync(process.execPath, [join(clone, "dist/cli/main.js"), "gateway", "status"], {
      env: environment(),
      encoding: "utf8",
    });
    expect(status).toContain("gateway: running");
    // The status line names a command that works here: `openclaw` is not on PATH in a checkout.
    expect(first.output()).toContain('curl -s -H "Authorization: Bearer $(npx openclaw gateway token)"');
    await stop(first.child);
  }, 300_000);

  it("rebuilds nothing when nothing changed", async () => {
    const before = [mtime("dist/cli/main.js"), mtime("dist/.tsbuildinfo"), mtime("dist/ui/index.html")];
    const again = await start();
    expect(again.output()).toContain("gateway build is up to date");
    expect(again.output()).toContain("Control UI build is up to date");
    expect([mtime("dist/cli/main.js"), mtime("dist/.tsbuildinfo"), mtime("dist/ui/index.html")]).toEqual(
      before,
    );
    await stop(again.child);
  }, 120_000);

  it("rebuilds only the part whose sources changed", async () => {
    const now = new Date();
    utimesSync(join(clone, "ui/src/main.ts"), now, now);
    const uiChanged = await start();
    expect(uiChanged.output()).toContain("gateway build is up to date");
    expect(uiChanged.output()).toContain("building the Control UI (vite)");
    await stop(uiChanged.child);

    appendFileSync(join(clone, "src/version.ts"), "// changed by npm-start.test.ts\n");
    const serverChanged = await start();
    expect(serverChanged.output()).toContain("compiling the gateway (tsc)");
    expect(serverChanged.output()).toContain("Control UI build is up to date");
    expect(await readFile(join(clone, "dist/version.js"), "utf8")).toContain("changed by npm-start.test.ts");
    await stop(serverChanged.child);
  }, 300_000);
});
