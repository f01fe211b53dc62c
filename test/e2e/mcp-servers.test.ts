import { randomBytes } from "node:crypto";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hostProcessesWith } from "../support/host-processes.js";
import { chat } from "./chat-http.js";
import { authHeaders, REPO_ROOT, runCli, type TempHome, useGateway, withTestAuth } from "./harness.js";
import { crashyServerSource, startRemoteMcpServer, startSseMcpServer } from "./mcp/remote-server.js";

/**
 * MCP servers as agent tools, with real servers from npm (`@modelcontextprotocol/server-everything`
 * and `server-filesystem`) over stdio, confined like `exec`, and a remote one over streamable HTTP.
 * The files live outside /tmp: a confined server gets a fresh /tmp, which would hide them for free.
 */
const BASE = realpathSync(mkdtempSync("/var/tmp/openclaw-e2e-mcp-"));
const STATE_DIR = join(BASE, "state");
const CONFIG_DIR = join(BASE, "config");
const CONFIG_PATH = join(CONFIG_DIR, "openclaw.json");
/** The workspace of the agent `fsonly`, whose filesystem server is confined to it. */
const WORKSPACE = join(STATE_DIR, "workspace", "fsonly");
const OUTSIDE_FILE = join(BASE, "outside.txt");
const CRASHY = join(BASE, "servers", "crashy.mjs");
const CANARY = `mcpcanary${randomBytes(12).toString("hex")}`;
const REMOTE_TOKEN = `Bearer remote${randomBytes(12).toString("hex")}`;
const MODULES = join(REPO_ROOT, "node_modules", "@modelcontextprotocol");

const remote = await startRemoteMcpServer(REMOTE_TOKEN);
const sse = await startSseMcpServer();

const CONFIG = {
  externalSecrets: {
    "mcp-canary": { source: "env", key: "OPENCLAW_E2E_MCP_CANARY" },
    "remote-token": { source: "env", key: "OPENCLAW_E2E_MCP_REMOTE" },
  },
  mcp: {
    servers: {
      everything: {
        command: process.execPath,
        args: [join(MODULES, "server-everything/dist/index.js"), "stdio"],
        env: { CANARY_TOKEN: { $secret: "mcp-canary" } },
        requestTimeoutMs: 3000,
      },
      fs: {
        command: process.execPath,
        // The state dir is allowed by the server's own rules; only the confinement hides it.
        args: [join(MODULES, "server-filesystem/dist/index.js"), WORKSPACE, STATE_DIR],
      },
      crashy: { command: process.execPath, args: [CRASHY] },
      remote: {
        url: remote.url,
        transport: "streamable-http",
        headers: { Authorization: { $secret: "remote-token" } },
      },
      // No transport named: OpenClaw's default, SSE.
      legacy: { url: sse.url },
      broken: { command: "/nonexistent/mcp-server", connectionTimeoutMs: 2000 },
    },
  },
  agents: {
    mcp: { threadBound: true, tools: { allow: ["bundle-mcp"] } },
    fsonly: { tools: ["fs__*"] },
    plain: {},
  },
};

function prepare(home: TempHome): void {
  mkdirSync(CONFIG_DIR, { recursive: true });
  mkdirSync(WORKSPACE, { recursive: true });
  mkdirSync(join(BASE, "servers"), { recursive: true });
  writeFileSync(join(WORKSPACE, "note.txt"), "inside the workspace\n");
  writeFileSync(OUTSIDE_FILE, "outside the workspace\n");
  writeFileSync(CRASHY, crashyServerSource(REPO_ROOT));
  writeFileSync(CONFIG_PATH, JSON.stringify(withTestAuth(CONFIG), null, 2));
  home.stateDir = STATE_DIR;
  home.configPath = CONFIG_PATH;
  home.env.OPENCLAW_STATE_DIR = STATE_DIR;
  home.env.OPENCLAW_CONFIG_PATH = CONFIG_PATH;
  home.env.OPENCLAW_E2E_MCP_CANARY = CANARY;
  home.env.OPENCLAW_E2E_MCP_REMOTE = REMOTE_TOKEN;
}

const tool = async (url: string, agentId: string, name: string, input: unknown = {}, timeoutMs = 30_000) => {
  const reply = await chat(url, agentId, `/tool ${name} ${JSON.stringify(input)}`, timeoutMs);
  expect(reply.status).toBe(200);
  return reply.text ?? "";
};

interface McpSession {
  agentId: string;
  server: string;
  state: string;
  error?: string;
  restarts: number;
}

async function sessions(url: string): Promise<McpSession[]> {
  const response = await fetch(`${url}/__openclaw__/status`, { headers: authHeaders(url) });
  return ((await response.json()) as { mcp: { sessions: McpSession[] } }).mcp.sessions;
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? filesUnder(path) : entry.isFile() ? [path] : [];
  });
}

describe("MCP servers as agent tools", () => {
  const context = useGateway(undefined, prepare);
  afterAll(async () => {
    if (process.env.MCP_E2E_DEBUG) console.log(context.gateway.output());
    await remote.close();
    await sse.close();
    rmSync(BASE, { recursive: true, force: true });
  });

  it("calls server-everything's echo and get-sum through the dev model's /tool", async () => {
    const { url } = context;
    expect(await tool(url, "mcp", "everything__echo", { message: "over stdio" })).toBe(
      "Tool everything__echo returned: Echo: over stdio",
    );
    expect(await tool(url, "mcp", "everything__get-sum", { a: 2, b: 40 })).toMatch(
      /^Tool everything__get-sum returned: .*42/,
    );
  }, 60_000);

  it("gives a secret in env to that server only, masked wherever it would show", async () => {
    const { url } = context;
    const reply = await tool(url, "mcp", "everything__get-env");
    // The server has it (get-env lists CANARY_TOKEN); the reply never shows its value.
    expect(reply).toContain("CANARY_TOKEN");
    expect(reply).not.toContain(CANARY);
    // And only that server: the gateway's own environment is not passed on.
    expect(reply).not.toContain("OPENCLAW_E2E_MCP_CANARY");
  }, 60_000);

  it("cuts a hanging call at requestTimeoutMs with a clear tool error", async () => {
    const { url } = context;
    const started = performance.now();
    const reply = await tool(url, "mcp", "everything__trigger-long-running-operation", {
      duration: 20,
      steps: 2,
    });
    const elapsed = performance.now() - started;
    expect(reply).toMatch(
      /^Tool everything__trigger-long-running-operation failed: .*did not answer within 3000 ms/,
    );
    expect(elapsed).toBeLessThan(15_000);
    // The server is still fine afterwards.
    expect(await tool(url, "mcp", "everything__echo", { message: "still here" })).toContain(
      "Echo: still here",
    );
  }, 60_000);

  it("confines server-filesystem: outside paths refused by it, the state dir invisible", async () => {
    const { url } = context;
    expect(await tool(url, "fsonly", "fs__read_text_file", { path: join(WORKSPACE, "note.txt") })).toContain(
      "inside the workspace",
    );
    const outside = await tool(url, "fsonly", "fs__read_text_file", { path: OUTSIDE_FILE });
    expect(outside).toMatch(/^Tool fs__read_text_file failed: .*(denied|outside)/i);
    // The server may list the state dir by its own rules, but the confinement shows it empty
    // (but for the workspace mounted back in): no gateway.json, no logs, no config.
    const listing = await tool(url, "fsonly", "fs__list_directory", { path: STATE_DIR });
    expect(listing).toContain("workspace");
    expect(listing).not.toMatch(/gateway\.json|logs|cli-token/);
    const state = await tool(url, "fsonly", "fs__read_text_file", { path: join(STATE_DIR, "gateway.json") });
    expect(state).toMatch(/failed/);
    expect(readFileSync(join(STATE_DIR, "gateway.json"), "utf8")).toContain("pid");
  }, 60_000);

  it("reaches a remote server over streamable HTTP with its secret header, and follows tools/list_changed", async () => {
    const { url } = context;
    expect(await tool(url, "mcp", "remote__greet", { name: "ada" })).toBe(
      "Tool remote__greet returned: hello ada from remote",
    );
    expect(remote.seenAuthorization.every((value) => value === REMOTE_TOKEN)).toBe(true);
    expect(await tool(url, "mcp", "remote__secret_door")).toMatch(/unknown tool/i);
    expect(await tool(url, "mcp", "remote__unlock")).toBe("Tool remote__unlock returned: unlocked");
    // The server's notification drops the cached list: a later turn sees the new tool.
    const deadline = Date.now() + 10_000;
    let door = "";
    while (Date.now() < deadline) {
      door = await tool(url, "mcp", "remote__secret_door");
      if (door.includes("returned")) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(door).toBe("Tool remote__secret_door returned: the door opens");
  }, 60_000);

  it("reaches a remote server over SSE, the default transport", async () => {
    expect(await tool(context.url, "mcp", "legacy__ping")).toBe("Tool legacy__ping returned: pong over sse");
  }, 60_000);

  it("maps isError and images, and restarts a server that exited mid-call on its next use", async () => {
    const { url } = context;
    expect(await tool(url, "mcp", "crashy__refuse")).toBe("Tool crashy__refuse failed: refused on purpose");
    const first = await tool(url, "mcp", "crashy__instance");
    expect(first).toMatch(/returned: instance [0-9a-f-]{36}\n\[image: image\/png, \d+ bytes\]/);
    const crash = await tool(url, "mcp", "crashy__exit_now");
    expect(crash).toMatch(/^Tool crashy__exit_now failed: MCP server "crashy" exited/);
    const second = await tool(url, "mcp", "crashy__instance");
    expect(second).toMatch(/returned: instance [0-9a-f-]{36}/);
    expect(second.split("\n")[0]).not.toBe(first.split("\n")[0]);
    const crashy = (await sessions(url)).find(
      (session) => session.agentId === "mcp" && session.server === "crashy",
    );
    expect(crashy).toMatchObject({ state: "running" });
    expect(crashy?.restarts).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it("never gives an MCP tool to an agent whose policy does not allow it", async () => {
    const { url } = context;
    expect(await tool(url, "plain", "everything__echo", { message: "x" })).toMatch(/unknown tool/i);
    expect(await tool(url, "fsonly", "everything__echo", { message: "x" })).toMatch(/unknown tool/i);
    expect((await sessions(url)).some((session) => session.agentId === "plain")).toBe(false);
  }, 60_000);

  it("keeps serving without a server that cannot start, and says why in status and doctor", async () => {
    const { url, home } = context;
    const broken = (await sessions(url)).find((session) => session.server === "broken");
    expect(broken).toMatchObject({ agentId: "mcp", state: "failed" });
    expect(broken?.error).toMatch(/not found|ENOENT|nonexistent/);
    const status = await runCli(["status"], home.env);
    expect(status.stdout).toMatch(/mcp: agent mcp: server broken failed: /);
    const doctor = await runCli(["doctor"], home.env);
    expect(doctor.stdout).toMatch(/MCP server broken \(agent mcp\) is not running, its tools are missing/);
  }, 60_000);

  it("keeps no secret on a server's command line", async () => {
    for (const name of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
      const cmdline = (() => {
        try {
          return readFileSync(`/proc/${name}/cmdline`, "utf8");
        } catch {
          return "";
        }
      })();
      expect(cmdline).not.toContain(CANARY);
    }
    expect(await hostProcessesWith(CRASHY)).toBeGreaterThan(0);
  });

  it("writes the env secret into no log or state file", async () => {
    const { gateway } = context;
    expect(gateway.output()).not.toContain(CANARY);
    for (const file of filesUnder(STATE_DIR)) {
      if (statSync(file).size > 50 * 1024 * 1024) continue;
      expect(readFileSync(file, "latin1"), file).not.toContain(CANARY);
    }
  });
});

describe("MCP servers at gateway stop", () => {
  const context = useGateway(
    {
      mcp: { servers: { crashy: { command: process.execPath, args: [CRASHY] } } },
      agents: { main: { tools: ["bundle-mcp"] } },
    },
    (home) => {
      mkdirSync(join(BASE, "servers"), { recursive: true });
      writeFileSync(CRASHY, crashyServerSource(REPO_ROOT));
      home.env.PATH = process.env.PATH;
    },
  );

  it("stops every server when the gateway stops", async () => {
    const { url, gateway } = context;
    expect(await tool(url, "main", "crashy__instance")).toMatch(/returned: instance/);
    expect(await hostProcessesWith(CRASHY)).toBeGreaterThan(0);
    await gateway.stop();
    const deadline = Date.now() + 5000;
    while ((await hostProcessesWith(CRASHY)) > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await hostProcessesWith(CRASHY)).toBe(0);
  }, 60_000);
});
