// biome-ignore-all lint/suspicious/noTemplateCurlyInString: config text with ${VAR} references, not templates.
import { describe, expect, it } from "vitest";
import { agentIdOfSessionKey } from "../../src/sessions/index.js";
import { chat } from "./chat-http.js";
import { authHeaders, runCli, tempHome, useGateway } from "./harness.js";

/** Asks without naming an agent (`model: "openclaw"`) and returns the agent that answered. */
async function defaultAgentOf(url: string): Promise<string | undefined> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...authHeaders(url) },
    body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "who" }] }),
    signal: AbortSignal.timeout(20_000),
  });
  expect(response.status).toBe(200);
  return agentIdOfSessionKey(response.headers.get("x-openclaw-session-key") ?? "");
}

describe("a gateway configured in OpenClaw's agent forms", () => {
  const running = useGateway({
    agents: {
      defaults: { model: "dev/echo" },
      entries: { ops: {}, home: { default: true } },
      list: [{ id: "legacy" }],
    },
  });

  it("answers as each agent of agents.entries and agents.list", async () => {
    for (const agentId of ["ops", "home", "legacy"]) {
      const reply = await chat(running.gateway.url, agentId, "ping");
      expect(reply.status, agentId).toBe(200);
      expect(reply.text, agentId).toBe("You said: ping");
    }
  });

  it("sends a request that names no agent to the one marked default: true", async () => {
    expect(await defaultAgentOf(running.gateway.url)).toBe("home");
  });
});

describe("config validate on OpenClaw's agent forms", () => {
  it("refuses an agent defined both in the seed form and in agents.entries, naming both", async () => {
    const home = await tempHome({ agents: { main: {}, entries: { main: {} } } });
    try {
      const result = await runCli(["config", "validate"], home.env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        'agent "main" is defined twice: at agents.main and at agents.entries.main',
      );
    } finally {
      await home.cleanup();
    }
  });
});

describe("a gateway whose config takes ${VAR} from its environment", () => {
  const token = "e2e-token-from-the-environment";
  const running = useGateway(
    {
      gateway: { mode: "production", auth: { mode: "token", token: "${E2E_GATEWAY_TOKEN}" } },
      agents: { entries: { main: { model: "${E2E_MODEL}", systemPrompt: "$${NOT_A_REFERENCE}" } } },
    },
    (home) => {
      home.env.E2E_GATEWAY_TOKEN = token;
      home.env.E2E_MODEL = "dev/echo";
    },
  );

  it("admits the token named by the variable, even in production mode, and refuses others", async () => {
    const ask = (authorization: string) =>
      fetch(`${running.gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization },
        body: JSON.stringify({ model: "openclaw/main", messages: [{ role: "user", content: "ping" }] }),
        signal: AbortSignal.timeout(20_000),
      });
    const admitted = await ask(`Bearer ${token}`);
    expect(admitted.status).toBe(200);
    const body = (await admitted.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe("You said: ping");
    expect((await ask("Bearer ${E2E_GATEWAY_TOKEN}")).status).toBe(401);
  });
});
