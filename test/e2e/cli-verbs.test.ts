import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeOpenAIServer } from "../../src/models/testing/fake-openai-server.js";
import {
  CLI_MAIN,
  type RunningGateway,
  runCli,
  startGateway,
  type TempHome,
  tempHome,
  useGateway,
  waitFor,
} from "./harness.js";

/**
 * OpenClaw's CLI verbs against a real gateway in its default auth mode (token): `agent`,
 * `sessions`, `gateway health | call | probe`, `health`, `dashboard`. The CLI reaches the
 * gateway of its state dir with the local CLI token, as an operator's shell would.
 */

const NOT_RUNNING_FIX = "fix: start it with `openclaw gateway start`";

describe("CLI verbs without a running gateway", () => {
  let home: TempHome;
  beforeAll(async () => {
    home = await tempHome("{}");
  });
  afterAll(async () => home.cleanup());

  it("each says the gateway is not running, and how to start it", async () => {
    const commands = [
      ["agent", "--agent", "main", "--message", "hi"],
      ["sessions", "list"],
      ["sessions", "show", "agent:main:main"],
      ["sessions", "delete", "agent:main:main"],
      ["gateway", "health"],
      ["health", "--json"],
      ["gateway", "call", "health"],
      ["gateway", "probe", "--json"],
      ["dashboard", "--no-open"],
    ];
    const results = await Promise.all(commands.map((args) => runCli(args, home.env)));
    results.forEach((result, index) => {
      const name = commands[index]?.join(" ");
      expect(result.code, name).toBe(1);
      expect(result.stderr, name).toContain("[OC_ERR_GATEWAY_NOT_RUNNING]");
      expect(result.stderr, name).toContain(NOT_RUNNING_FIX);
      expect(result.stdout, name).toBe("");
    });
  });
});

describe("CLI verbs through a running gateway", () => {
  let home: TempHome;
  let gateway: RunningGateway;
  beforeAll(async () => {
    // A string config is written as is: the default auth mode (a generated token) stays.
    home = await tempHome(`{ agents: { main: {}, helper: {} } }`);
    gateway = await startGateway(home);
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  it("openclaw agent runs one turn and prints the reply, or JSON with runId, sessionKey, text, usage", async () => {
    const json = await runCli(["agent", "--agent", "main", "--message", "hello there", "--json"], home.env);
    expect(json.stderr).toBe("");
    expect(json.code).toBe(0);
    const answer = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(answer).toMatchObject({
      status: "ok",
      agentId: "main",
      sessionKey: "agent:main:main",
      text: "You said: hello there",
      usage: { input: expect.any(Number), output: expect.any(Number) },
    });
    expect(answer.runId).toEqual(expect.any(String));

    // A bare session key is scoped to --agent, as in OpenClaw; `--session` is its short form.
    const plain = await runCli(["agent", "--agent", "helper", "--session", "t1", "-m", "second"], home.env);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe("You said: second\n");
    const history = await runCli(["sessions", "show", "agent:helper:t1", "--json"], home.env);
    expect(JSON.parse(history.stdout).entries.map((entry: { content: string }) => entry.content)).toEqual([
      "second",
      "You said: second",
    ]);
  });

  it("openclaw agent refuses an unknown agent, a mismatched key and a missing message", async () => {
    const unknown = await runCli(["agent", "--agent", "ghost", "--message", "hi"], home.env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("[OC_ERR_UNKNOWN_AGENT]");
    expect(unknown.stderr).toContain("main");
    const mismatch = await runCli(
      ["agent", "--agent", "main", "--session-key", "agent:helper:x", "--message", "hi"],
      home.env,
    );
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain('belongs to agent "helper"');
    const noMessage = await runCli(["agent", "--agent", "main"], home.env);
    expect(noMessage.code).toBe(2);
    expect(noMessage.stderr).toContain("--message is required");
  });

  it("openclaw sessions list | show | delete reads and removes transcripts", async () => {
    await runCli(["agent", "--agent", "main", "--session", "doomed", "--message", "remember me"], home.env);
    const listed = await runCli(["sessions", "list", "--json"], home.env);
    expect(listed.code).toBe(0);
    const keys = (JSON.parse(listed.stdout).sessions as { key: string }[]).map((session) => session.key);
    expect(keys).toContain("agent:main:doomed");

    const onlyHelper = await runCli(["sessions", "list", "--agent", "helper", "--json"], home.env);
    const helperKeys = (JSON.parse(onlyHelper.stdout).sessions as { key: string; agentId: string }[]).map(
      (session) => session.agentId,
    );
    expect(helperKeys.length).toBeGreaterThan(0);
    expect(new Set(helperKeys)).toEqual(new Set(["helper"]));

    const table = await runCli(["sessions"], home.env);
    expect(table.stdout).toMatch(/^KEY\s+AGENT\s+MESSAGES/);
    expect(table.stdout).toMatch(/agent:main:doomed\s+main\s+2\s/);

    const shown = await runCli(["sessions", "show", "agent:main:doomed"], home.env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/user\n {2}remember me\n.*assistant\n {2}You said: remember me\n/);

    const deleted = await runCli(["sessions", "delete", "agent:main:doomed"], home.env);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe("deleted session agent:main:doomed\n");
    const after = await runCli(["sessions", "list", "--json"], home.env);
    expect(after.stdout).not.toContain("agent:main:doomed");
    for (const args of [
      ["sessions", "show", "agent:main:doomed"],
      ["sessions", "delete", "agent:main:doomed"],
    ]) {
      const gone = await runCli(args, home.env);
      expect(gone.code, args.join(" ")).toBe(2);
      expect(gone.stderr).toContain("[OC_ERR_NOT_FOUND]");
      expect(gone.stderr).toContain("fix: `openclaw sessions list`");
    }
  });

  it("serves the session routes to operators only: read to list and show, admin to delete", async () => {
    const routes = (await (
      await fetch(`${gateway.url}/__openclaw__/routes`, { headers: gateway.headers })
    ).json()) as { routes: { method: string; url: string; access: { kind: string; scopes?: string[] } }[] };
    const accessOf = (method: string, url: string) =>
      routes.routes.find((route) => route.method === method && route.url === url)?.access;
    expect(accessOf("GET", "/__openclaw__/sessions")).toEqual({
      kind: "operator",
      scopes: ["operator.read"],
    });
    expect(accessOf("GET", "/__openclaw__/sessions/:key")).toEqual({
      kind: "operator",
      scopes: ["operator.read"],
    });
    expect(accessOf("DELETE", "/__openclaw__/sessions/:key")).toEqual({
      kind: "operator",
      scopes: ["operator.admin"],
    });
    const anonymous = await fetch(`${gateway.url}/__openclaw__/sessions/agent%3Amain%3Amain`, {
      method: "DELETE",
    });
    expect(anonymous.status).toBe(401);
  });

  it("openclaw gateway health and openclaw health print the health snapshot", async () => {
    const json = await runCli(["gateway", "health", "--json"], home.env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      agents: [
        { id: "main", state: "ready" },
        { id: "helper", state: "ready" },
      ],
    });
    const text = await runCli(["health"], home.env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^gateway: ok, up \d+/);
    expect(text.stdout).toContain("agents: 2/2 ready");
  });

  it("openclaw gateway call makes one protocol call and prints its answer", async () => {
    const listed = await runCli(
      ["gateway", "call", "sessions.list", "--params", '{"agentId":"helper"}', "--json"],
      home.env,
    );
    expect(listed.stderr).toBe("");
    expect(listed.code).toBe(0);
    const payload = JSON.parse(listed.stdout) as { sessions: { agentId: string }[] };
    expect(payload.sessions.length).toBeGreaterThan(0);
    expect(payload.sessions.every((session) => session.agentId === "helper")).toBe(true);

    const unknown = await runCli(["gateway", "call", "no.such.method"], home.env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("[OC_ERR_UNKNOWN_METHOD]");
    const badParams = await runCli(["gateway", "call", "health", "--params", "{oops"], home.env);
    expect(badParams.code).toBe(2);
    expect(badParams.stderr).toContain("--params is not JSON");
    expect(badParams.stderr).toContain("fix: pass a JSON object");
  });

  it("openclaw gateway probe connects and runs the read probe", async () => {
    const json = await runCli(["gateway", "probe", "--json"], home.env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      degraded: false,
      capability: "admin_capable",
      primaryTargetId: "localLoopback",
      targets: [
        {
          id: "localLoopback",
          url: gateway.url.replace(/^http/, "ws"),
          connect: { ok: true, rpcOk: true, scopeLimited: false },
          auth: { role: "operator" },
        },
      ],
    });
    const text = await runCli(["gateway", "probe"], home.env);
    expect(text.stdout).toContain("Connect: ok");
    expect(text.stdout).toContain("Read probe: ok");
  });

  it("openclaw dashboard prints the Control UI URL with the token in the fragment, and opens nothing", async () => {
    const token = (await runCli(["gateway", "token"], home.env)).stdout.trim();
    expect(token.length).toBeGreaterThan(20);
    const printed = await runCli(["dashboard", "--no-open"], home.env);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(`control UI: ${gateway.url}/#token=${token}\n`);
    const json = await runCli(["dashboard", "--json"], home.env);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: true,
      url: `${gateway.url}/#token=${token}`,
      httpUrl: `${gateway.url}/`,
      wsUrl: gateway.url.replace(/^http/, "ws"),
      port: gateway.port,
      tokenIncluded: true,
    });
  });
});

describe("openclaw dashboard when the gateway generated no token", () => {
  // Auth mode "none" (loopback): there is no token to hand the Control UI.
  const running = useGateway({});

  it("prints the bare URL and says why, with tokenIncluded false", async () => {
    const printed = await runCli(["dashboard"], running.home.env);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(`control UI: ${running.url}/\n`);
    expect(printed.stderr).toContain("no generated token to put in the URL");
    const json = await runCli(["dashboard", "--json"], running.home.env);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, url: `${running.url}/`, tokenIncluded: false });
  });
});

describe("openclaw agent interrupted", () => {
  // A turn whose message says "hang" gets a model that never answers: only an abort ends it.
  // The last user message decides: the history of a later turn holds the earlier "hang".
  const asksToHang = (body: unknown) => {
    const messages = (body as { messages?: { role: string; content: unknown }[] }).messages ?? [];
    return (
      JSON.stringify(messages.filter((message) => message.role === "user").at(-1)?.content ?? "") === '"hang"'
    );
  };
  const provider = new FakeOpenAIServer({
    respond: (request) => (asksToHang(request.body) ? { type: "silence" } : undefined),
  });
  const silentRequests = () => provider.requests.filter((request) => asksToHang(request.body)).length;
  let home: TempHome;
  let gateway: RunningGateway | undefined;
  beforeAll(async () => {
    const { baseUrl } = await provider.start();
    home = await tempHome({
      models: { providers: { local: { type: "openai-compatible", baseUrl } } },
      agents: { main: { model: "local/m" } },
    });
    gateway = await startGateway(home);
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await provider.close();
    await home?.cleanup();
  });

  /** `openclaw agent` on a turn that hangs, returned once the gateway has asked the model. */
  async function hangingTurn() {
    const asked = silentRequests();
    const child = spawn(process.execPath, [CLI_MAIN, "agent", "--agent", "main", "--message", "hang"], {
      env: home.env,
    });
    let stderr = "";
    child.stderr.on("data", (data) => {
      stderr += data;
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    await waitFor(() => silentRequests() > asked);
    return { child, exited, stderr: () => stderr };
  }

  it("aborts the accepted run on Ctrl-C and exits 130, so the session is free again", async () => {
    const { child, exited, stderr } = await hangingTurn();
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(stderr()).toMatch(/SIGINT: aborting run \S+/);
    // Without the abort this turn would queue behind the silent one and time out.
    const next = await runCli(["agent", "--agent", "main", "--message", "again"], home.env);
    expect(next.stderr).toBe("");
    expect(next.stdout).toBe("You said: again\n");
  });

  it("says the gateway went away mid-turn, and not to rerun blindly", async () => {
    const { exited, stderr } = await hangingTurn();
    // A crash, not a shutdown: a stopping gateway answers the turn itself (OC_ERR_TURN_ABORTED).
    gateway?.process.kill("SIGKILL");
    expect(await exited).toBe(1);
    expect(stderr()).toContain("[OC_ERR_GATEWAY_NOT_RUNNING]");
    expect(stderr()).toContain("a turn it accepted may have run anyway");
  });
});
