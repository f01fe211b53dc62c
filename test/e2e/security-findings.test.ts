import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./harness.js";
import { useProviderGateway } from "./provider-gateway.js";
import { TestWsClient } from "./ws-client.js";

/**
 * Findings 7, 10, 11 and 12 of the outside attack pass, each as the request that exposed it.
 * (Findings 1, 4, 6 and 8 are cases of auth-cases.ts; 3 is socket-exhaustion.test.ts; 9 is in
 * node-capabilities.test.ts; 2 and 5 are confinement.test.ts and config-weakening.test.ts.)
 */

const TOKEN = "Sec-findings-token-0123456789abcdefXYZ";
const RIGHT_KEY = "sk-ant-api03-the-key-the-provider-wants-000000";
const WRONG_KEY = "sk-ant-api03-a-key-the-provider-refuses-11111";

describe("security findings 7, 10, 11, 12", () => {
  const running = useProviderGateway({
    apiKey: RIGHT_KEY,
    files: { "claude.key": `${WRONG_KEY}\n` },
    prepare: ({ home }) => {
      home.env.OPENCLAW_TEST_FINDINGS_TOKEN = TOKEN;
    },
    config: ({ baseUrl, path }) => ({
      externalSecrets: {
        "gateway-token": { source: "env", key: "OPENCLAW_TEST_FINDINGS_TOKEN" },
        "claude-api-key": { source: "file", path: path("claude.key") },
        vault: { source: "exec", command: ["/bin/echo", "from-vault-0123456789"] },
      },
      gateway: { auth: { mode: "token", token: { $secret: "gateway-token" } } },
      models: {
        providers: {
          anthropic: { baseUrl },
          custom: {
            type: "openai-compatible",
            baseUrl: "http://127.0.0.1:9/v1",
            apiKey: { $secret: "vault" },
            headers: { "Proxy-Authorization": "Basic cHJveHk6c2VjcmV0", "X-Custom-Token": "custom-tok-42" },
          },
        },
      },
      agents: { main: {}, claude: { model: "anthropic/claude-sonnet-4-5" } },
    }),
  });
  const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };

  async function completion(body: Record<string, unknown>) {
    const response = await fetch(`${running.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Record<string, any>,
    };
  }

  it("12: a provider's 401 for the gateway's key is a 502 naming the provider and the secret, not our 401", async () => {
    const reply = await completion({ model: "openclaw/claude", messages: [{ role: "user", content: "hi" }] });
    expect(reply.status).toBe(502);
    expect(reply.body.error.code).toBe("provider_auth");
    expect(reply.body.error.type).not.toBe("authentication_error");
    expect(reply.body.error.message).toContain("anthropic");
    expect(reply.body.error.message).toContain('secret "claude-api-key"');
    expect(reply.headers.get("www-authenticate")).toBeNull();
    expect(JSON.stringify(reply.body)).not.toContain(WRONG_KEY);
  });

  it("10: a `user` with a newline is refused before the turn runs its tools", async () => {
    const marker = join(running.home.stateDir, "workspace", "main", "user-marker");
    const reply = await completion({
      model: "openclaw/main",
      user: "alice\r\nX-Injected: 1",
      messages: [{ role: "user", content: '/tool write {"path":"user-marker","content":"ran"}' }],
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.param).toBe("user");
    expect(existsSync(marker)).toBe(false);
  });

  it("10: a `user` outside Latin-1 names a stable session that fits a header", async () => {
    const ask = () =>
      completion({
        model: "openclaw/main",
        user: "josé 日本 🦀",
        messages: [{ role: "user", content: "hello" }],
      });
    const first = await ask();
    expect(first.status).toBe(200);
    const key = first.headers.get("x-openclaw-session-key");
    expect(key).toBe(
      `agent:main:openai:${encodeURIComponent("josé")}%20${encodeURIComponent("日本")}%20${encodeURIComponent("🦀")}`,
    );
    expect((await ask()).headers.get("x-openclaw-session-key")).toBe(key);
  });

  it("10: a session key header with a control character is refused", async () => {
    const response = await fetch(`${running.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { ...headers, "x-openclaw-session-key": "agent:main:a\tb" },
      body: JSON.stringify({ model: "openclaw/main", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(400);
  });

  it("7: config.get hides every header value, and read-only callers do not see where secrets live", async () => {
    const { client: reader } = await TestWsClient.connect(running.gateway.url, {
      auth: { token: TOKEN },
      scopes: ["operator.read"],
    });
    const read = await reader.request("config.get");
    const text = JSON.stringify(read.payload);
    for (const hidden of [
      "cHJveHk6c2VjcmV0",
      "custom-tok-42",
      "claude.key",
      "/bin/echo",
      "from-vault",
      "OPENCLAW_TEST_FINDINGS_TOKEN",
    ]) {
      expect(text, hidden).not.toContain(hidden);
    }
    expect((read.payload?.config as any).externalSecrets.vault).toEqual({ source: "exec" });
    reader.close();

    const { client: admin } = await TestWsClient.connect(running.gateway.url, { auth: { token: TOKEN } });
    const full = JSON.stringify((await admin.request("config.get")).payload);
    expect(full).toContain("/bin/echo");
    expect(full).not.toContain("custom-tok-42");
    admin.close();

    for (const path of [
      "models.providers.custom.headers",
      'models.providers.custom.headers["Proxy-Authorization"]',
      "",
    ]) {
      const printed = await runCli(["config", "get", ...(path ? [path] : [])], running.home.env);
      expect(printed.code, printed.stderr).toBe(0);
      expect(printed.stdout).not.toContain("custom-tok-42");
      expect(printed.stdout).not.toContain("cHJveHk6c2VjcmV0");
    }
  });

  it("11: the Control UI's policy lets its socket reach this gateway only", async () => {
    const response = await fetch(`${running.gateway.url}/`);
    const policy = response.headers.get("content-security-policy") ?? "";
    const connect = /connect-src ([^;]+)/.exec(policy)?.[1]?.trim();
    expect(connect).toBe("'self'");
  });
});
