import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, startGateway, type TempHome, tempHome } from "../e2e/harness.js";
import { type CompatTools, ensureCompatTools } from "./compat-cache.js";
import {
  loadReferenceClient,
  ReferenceConnectError,
  type ReferenceConnectOptions,
  type ReferenceSession,
} from "./reference-client.js";

/**
 * OpenClaw's own clients against this gateway, unchanged: the published `openclaw` CLI and the
 * reference `@openclaw/gateway-client`, at the versions pinned in compat-cache.ts. The gateway is
 * the built dist in token mode on loopback with a throwaway state dir; the CLI gets a throwaway
 * HOME, so it never reads or writes the ~/.openclaw of whoever runs this.
 */

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

const results: { client: string; command: string; result: string; durationMs: number }[] = [];

function record(client: string, command: string, result: string, durationMs: number): void {
  results.push({ client, command, result, durationMs: Math.round(durationMs) });
}

describe("OpenClaw clients against this gateway", () => {
  let tools: CompatTools;
  let home: TempHome;
  let gateway: RunningGateway;
  let token: string;
  let wsUrl: string;
  let cliHome: string;
  let connectReference: Awaited<ReturnType<typeof loadReferenceClient>>;

  /** The real CLI on its pinned Node, with nothing of this machine's OpenClaw state or env. */
  function openclaw(
    args: string[],
    extraEnv: Record<string, string> = {},
    homeDir = cliHome,
  ): Promise<CliRun> {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: homeDir,
      XDG_CONFIG_HOME: join(homeDir, ".config"),
      XDG_CACHE_HOME: join(homeDir, ".cache"),
      XDG_STATE_HOME: join(homeDir, ".local", "state"),
      XDG_DATA_HOME: join(homeDir, ".local", "share"),
      TMPDIR: join(homeDir, "tmp"),
      LANG: "C.UTF-8",
      NO_COLOR: "1",
      TERM: "dumb",
      OPENCLAW_NO_AUTO_UPDATE: "1",
      ...extraEnv,
    };
    const startedAt = performance.now();
    return new Promise((resolve, reject) => {
      const child = spawn(tools.node, [tools.openclaw, ...args], { env, cwd: homeDir });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
      });
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`openclaw ${args.join(" ")} timed out after 60 s\n${stdout}\n${stderr}`));
      }, 60_000);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr, durationMs: performance.now() - startedAt });
      });
    });
  }

  /** A reference-client session for one test: connected, used, stopped, and its row recorded. */
  async function withReference(
    options: Omit<ReferenceConnectOptions, "url" | "token">,
    command: string,
    use: (session: ReferenceSession) => Promise<void>,
  ): Promise<void> {
    const startedAt = performance.now();
    const session = await connectReference({ url: wsUrl, token, ...options });
    try {
      await use(session);
    } finally {
      session.stop();
    }
    record("@openclaw/gateway-client", command, "ok", performance.now() - startedAt);
  }

  beforeAll(async () => {
    tools = ensureCompatTools();
    process.stdout.write(
      `compat: cache ${tools.cache} ${tools.setup.installed ? "installed" : "reused"} in ${tools.setup.durationMs} ms\n`,
    );
    home = await tempHome({ gateway: { auth: { mode: "token" } }, agents: { main: {} } });
    // Debug logs name the device each signed operator connect proved (the signing check below).
    home.env.OPENCLAW_LOG_LEVEL = "debug";
    gateway = await startGateway(home);
    token = (await readFile(join(home.stateDir, "gateway-token"), "utf8")).trim();
    wsUrl = `ws://127.0.0.1:${gateway.port}`;
    cliHome = await mkdtemp(join(tmpdir(), "openclaw-compat-cli-"));
    await mkdir(join(cliHome, "tmp"));
    connectReference = await loadReferenceClient(tools.resolve);
  }, 15 * 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
    if (cliHome) await rm(cliHome, { recursive: true, force: true });
    const rows = results.map(
      (row) =>
        `  ${row.client.padEnd(28)} ${row.result.padEnd(5)} ${row.durationMs.toString().padStart(6)} ms  ${row.command}`,
    );
    process.stdout.write(
      `\ncompat: versions ${Object.entries(tools?.versions ?? {})
        .map(([name, version]) => `${name}@${version}`)
        .join(", ")}\n${rows.join("\n")}\n`,
    );
  });

  it("openclaw --version is the pinned CLI", async () => {
    const run = await openclaw(["--version"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`OpenClaw ${tools.versions.openclaw}`);
    record("openclaw CLI", "openclaw --version", "ok", run.durationMs);
  });

  it("openclaw gateway health --url … --token …", async () => {
    const run = await openclaw(["gateway", "health", "--url", wsUrl, "--token", token]);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/Gateway Health\s+OK/);
    record("openclaw CLI", "gateway health --url --token", "ok", run.durationMs);
  });

  it("openclaw gateway call status (flags, then OPENCLAW_GATEWAY_URL/TOKEN)", async () => {
    const viaFlags = await openclaw([
      "gateway",
      "call",
      "status",
      "--url",
      wsUrl,
      "--token",
      token,
      "--json",
    ]);
    expect(viaFlags.code, `${viaFlags.stdout}\n${viaFlags.stderr}`).toBe(0);
    expect(JSON.parse(viaFlags.stdout)).toMatchObject({ ok: true, service: "openclaw-gateway" });
    record("openclaw CLI", "gateway call status --url --token --json", "ok", viaFlags.durationMs);

    const viaEnv = await openclaw(["gateway", "call", "status", "--json"], {
      OPENCLAW_GATEWAY_URL: wsUrl,
      OPENCLAW_GATEWAY_TOKEN: token,
    });
    expect(viaEnv.code, `${viaEnv.stdout}\n${viaEnv.stderr}`).toBe(0);
    // The CLI asked for operator.read only: the admin-only parts of status stay out.
    const status = JSON.parse(viaEnv.stdout);
    expect(status.agents.map((agent: { id: string }) => agent.id)).toEqual(["main"]);
    expect(status).not.toHaveProperty("secrets");
    record("openclaw CLI", "gateway call status (OPENCLAW_GATEWAY_URL/TOKEN env)", "ok", viaEnv.durationMs);
  });

  it("openclaw gateway probe --url … --token … --json (health, status, system-presence, config.get)", async () => {
    const run = await openclaw(["gateway", "probe", "--url", wsUrl, "--token", token, "--json"]);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const probe = JSON.parse(run.stdout);
    expect(probe).toMatchObject({ ok: true, degraded: false, warnings: [] });
    const target = probe.targets.find((candidate: { id: string }) => candidate.id === "explicit");
    expect(target.connect).toMatchObject({ ok: true, rpcOk: true });
    // Read from system-presence's own entry for the gateway.
    expect(target.self).toMatchObject({ version: expect.any(String), platform: process.platform });
    record("openclaw CLI", "gateway probe --url --token --json", "ok", run.durationMs);
  });

  it("openclaw nodes list (node.list + node.pair.list)", async () => {
    const run = await openclaw(["nodes", "list", "--url", wsUrl, "--token", token]);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain("Pending: 0");
    record("openclaw CLI", "nodes list --url --token", "ok", run.durationMs);
  });

  it("openclaw gateway call chat.send, and a wrong token is refused", async () => {
    const params = JSON.stringify({
      sessionKey: "agent:main:compat-cli",
      message: "hi",
      idempotencyKey: "cli-1",
    });
    const run = await openclaw([
      "gateway",
      "call",
      "chat.send",
      "--url",
      wsUrl,
      "--token",
      token,
      "--params",
      params,
      "--json",
    ]);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ runId: "cli-1", status: "started" });
    record("openclaw CLI", "gateway call chat.send --params … --json", "ok", run.durationMs);

    const refused = await openclaw([
      "gateway",
      "call",
      "status",
      "--url",
      wsUrl,
      "--token",
      "not-the-token",
      "--json",
    ]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ details: { code: "AUTH_TOKEN_MISMATCH" } });
    record("openclaw CLI", "gateway call status --token <wrong> (must fail)", "ok", refused.durationMs);
  });

  it("the CLI reads its config from the throwaway HOME, not this machine's ~/.openclaw", async () => {
    const run = await openclaw(["config", "file"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe(join(cliHome, ".openclaw", "openclaw.json"));
  });

  it("openclaw agent --message … --json: a turn through the agent method", async () => {
    const env = { OPENCLAW_GATEWAY_URL: wsUrl, OPENCLAW_GATEWAY_TOKEN: token };
    const run = await openclaw(["agent", "--agent", "main", "--message", "compat agent", "--json"], env);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const answer = JSON.parse(run.stdout);
    expect(answer).toMatchObject({ status: "ok", summary: "completed" });
    expect(answer.result.payloads[0].text).toBe("You said: compat agent");
    record("openclaw CLI", "agent --agent main --message … --json", "ok", run.durationMs);
  });

  it("reference client: agent with expectFinal, and the same idempotency key is the same run", async () => {
    await withReference(
      {},
      "agent (expectFinal) twice with one idempotencyKey → one turn",
      async (session) => {
        const params = { message: "once only", agentId: "main", idempotencyKey: "ref-agent-1" };
        const first = await session.client.request("agent", params, { expectFinal: true });
        expect(first).toMatchObject({ runId: "ref-agent-1", status: "ok", summary: "completed" });
        const again = await session.client.request("agent", params, { expectFinal: true });
        expect(again).toEqual(first);
        const history = await session.client.request("chat.history", { sessionKey: "agent:main:main" });
        const said = (history.messages as { role: string; content: { text: string }[] }[]).filter(
          (message) => message.role === "user" && message.content[0]?.text === "once only",
        );
        expect(said).toHaveLength(1);
      },
    );
  });

  it("openclaw CLI: a connect signed with its own device identity is verified and accepted", async () => {
    // The CLI signs only when it does not take the call for a local shared-secret one: here its
    // config says token mode while it is handed the secret as a password. `openclaw agent` (which
    // may write state) creates its identity; `gateway call` then signs with it.
    const signingHome = await mkdtemp(join(tmpdir(), "openclaw-compat-signing-"));
    try {
      await mkdir(join(signingHome, "tmp"));
      await mkdir(join(signingHome, ".openclaw"));
      await writeFile(
        join(signingHome, ".openclaw", "openclaw.json"),
        '{"gateway":{"auth":{"mode":"token"}}}\n',
      );
      const agent = await openclaw(
        ["agent", "--message", "hi", "--agent", "main"],
        { OPENCLAW_GATEWAY_URL: wsUrl, OPENCLAW_GATEWAY_PASSWORD: token },
        signingHome,
      );
      // `agent`: accepted at once, then the final answer on the same request id.
      expect(agent.code, `${agent.stdout}\n${agent.stderr}`).toBe(0);
      expect(agent.stdout).toContain("You said: hi");
      record(
        "openclaw CLI",
        "agent --message hi --agent main (agent: accepted, then final)",
        "ok",
        agent.durationMs,
      );
      const run = await openclaw(
        ["gateway", "call", "status", "--url", wsUrl, "--password", token, "--json"],
        {},
        signingHome,
      );
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const signed = gateway
        .output()
        .split("\n")
        .filter((line) => line.includes("client connected") && /deviceId\W+[0-9a-f]{64}/.test(line));
      expect(signed.length, "no device-signed connect in the gateway log").toBeGreaterThanOrEqual(2);
      record(
        "openclaw CLI",
        "gateway call status --password (device-signed connect)",
        "ok",
        agent.durationMs + run.durationMs,
      );
    } finally {
      await rm(signingHome, { recursive: true, force: true });
    }
  });

  it("reference client: a chat turn with streamed chat events, signing a device identity", async () => {
    await withReference(
      { withDevice: true },
      "connect (device-signed) + chat.send + chat events + chat.history",
      async (session) => {
        expect(session.hello).toMatchObject({ type: "hello-ok", protocol: 4, auth: { role: "operator" } });
        const sent = await session.client.request("chat.send", {
          sessionKey: "agent:main:compat",
          message: "hello from the reference client",
          idempotencyKey: "compat-ref-1",
        });
        expect(sent).toEqual({ runId: "compat-ref-1", status: "started" });
        const deadline = Date.now() + 20_000;
        const finalOf = () =>
          session.events.find((event) => event.event === "chat" && event.payload?.state === "final");
        while (!finalOf() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
        const final = finalOf();
        expect(final, "no final chat event").toBeDefined();
        const deltas = session.events.filter(
          (event) => event.event === "chat" && event.payload?.state === "delta",
        );
        expect(deltas.length).toBeGreaterThan(1);
        expect(deltas.map((event) => event.payload?.deltaText).join("")).toBe(
          "You said: hello from the reference client",
        );
        expect(final?.payload).toMatchObject({ runId: "compat-ref-1", sessionKey: "agent:main:compat" });
        const history = await session.client.request("chat.history", { sessionKey: "agent:main:compat" });
        expect((history.messages as unknown[]).length).toBe(2);
      },
    );
  });

  it("reference client: scopes it asks for are the scopes it gets", async () => {
    await withReference(
      { scopes: ["operator.read"] },
      "connect scopes=[operator.read], chat.send → MISSING_SCOPE",
      async (session) => {
        expect(session.hello).toMatchObject({ auth: { scopes: ["operator.read"] } });
        await expect(
          session.client.request("chat.send", {
            sessionKey: "agent:main:ro",
            message: "x",
            idempotencyKey: "ro-1",
          }),
        ).rejects.toMatchObject({ details: { code: "MISSING_SCOPE", missingScope: "operator.write" } });
        expect(await session.client.request("health")).toMatchObject({ ok: true });
      },
    );
  });

  it("reference client: a protocol it does not share is a clear, final error, not a hang", async () => {
    const startedAt = performance.now();
    const attempt = connectReference({ url: wsUrl, token, minProtocol: 5, maxProtocol: 5, timeoutMs: 5000 });
    const error = await attempt.then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(ReferenceConnectError);
    const refusal = error as ReferenceConnectError;
    expect(refusal.details).toMatchObject({ code: "PROTOCOL_MISMATCH", expectedProtocol: 4 });
    expect(refusal.message).toContain("protocol mismatch");
    expect(refusal.reconnectPaused).toBe(true);
    expect(performance.now() - startedAt).toBeLessThan(5000);
    record(
      "@openclaw/gateway-client",
      "connect minProtocol=maxProtocol=5 → PROTOCOL_MISMATCH",
      "ok",
      performance.now() - startedAt,
    );
  });
});
