import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, runCli, startGateway, type TempHome, tempHome } from "./harness.js";

// Done-when 1: no config, no key, no network: status answers and the dev model chats.
describe("quick start: the embedded default", () => {
  let home: TempHome;
  let gateway: RunningGateway;
  let token: string;

  beforeAll(async () => {
    home = await tempHome();
    gateway = await startGateway(home);
    // Token mode by default: the gateway generated one, and the CLI prints it.
    const printed = await runCli(["gateway", "token"], home.env);
    expect(printed.code).toBe(0);
    token = printed.stdout.trim();
  });
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  it("announces the dev model at start-up", () => {
    expect(gateway.output()).toContain("the built-in offline dev model");
  });

  it("refuses /__openclaw__/status without the token, saying how to get one", async () => {
    const response = await fetch(`${gateway.url}/__openclaw__/status`);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { message: string; reason: string } };
    expect(body.error).toMatchObject({ reason: "missing_credentials" });
    expect(body.error.message).toContain("openclaw gateway token");
    // In a checkout `openclaw` is not on PATH: the line says what works there.
    expect(gateway.output()).toContain('curl -s -H "Authorization: Bearer $(npx openclaw gateway token)"');
    expect(gateway.output()).not.toContain(token);
    // Not a terminal (a log, a pipe): the Control UI line says where its token is instead.
    expect(gateway.output()).toContain(
      `control UI: ${gateway.url}/ (its token: \`npx openclaw gateway token\`)`,
    );
  });

  it("serves /__openclaw__/status with version, uptime, agents and config path", async () => {
    const response = await fetch(`${gateway.url}/__openclaw__/status`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const status = (await response.json()) as Record<string, unknown>;
    expect(status.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(typeof status.uptimeMs).toBe("number");
    expect(status.configPath).toBe(home.configPath);
    // Started with --port 0: the port it really took, not the config's 18789.
    expect(status.listen).toEqual({ host: "127.0.0.1", port: gateway.port });
    expect(status.agents).toEqual([
      expect.objectContaining({ id: "main", state: "ready", model: "dev/echo" }),
    ]);
  });

  it("answers a chat turn through /v1/chat/completions with the dev model", async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        model: "openclaw/main",
        messages: [{ role: "user", content: "hello gateway" }],
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      choices: { message: { content: string } }[];
      usage: { total_tokens: number };
    };
    expect(body.choices[0]?.message.content).toBe("You said: hello gateway");
    expect(body.usage.total_tokens).toBeGreaterThan(0);
  });

  it("runs a tool through the dev model's /tool form", async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        model: "main",
        messages: [{ role: "user", content: '/tool echo {"text":"ping 42"}' }],
      }),
    });
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe("Tool echo returned: ping 42");
  });

  it("answers /health and /readyz", async () => {
    expect(await (await fetch(`${gateway.url}/health`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${gateway.url}/readyz`)).json()).toEqual({ ready: true });
  });
});
