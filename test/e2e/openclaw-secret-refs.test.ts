import { chmod } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { FakeOpenAIServer } from "../../src/models/testing/fake-openai-server.js";
import { useProviderGateway } from "./provider-gateway.js";

const API_KEY = "sk-secretref-e2e-not-a-real-key-0123456789";
const GATEWAY_TOKEN = "gateway-token-from-the-vault-0123456789";

/** An exec resolver speaking OpenClaw's protocol v1, as a user would install one. */
const RESOLVER = `#!/usr/bin/env node
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { ids } = JSON.parse(input);
  const known = { "gateway/token": ${JSON.stringify(GATEWAY_TOKEN)} };
  const values = Object.fromEntries(ids.filter((id) => id in known).map((id) => [id, known[id]]));
  process.stdout.write(JSON.stringify({ protocolVersion: 1, values }));
});
`;

describe("a gateway whose credentials are OpenClaw SecretRefs", () => {
  const running = useProviderGateway({
    server: () => new FakeOpenAIServer({ apiKey: API_KEY }),
    files: {
      "secrets.json": JSON.stringify({ providers: { openai: { apiKey: API_KEY } } }),
      "resolver.mjs": RESOLVER,
    },
    prepare: async (setup) => chmod(setup.path("resolver.mjs"), 0o700),
    config: (setup) => ({
      secrets: {
        providers: {
          filemain: { source: "file", path: setup.path("secrets.json"), mode: "json" },
          vault: { source: "exec", command: setup.path("resolver.mjs") },
        },
      },
      gateway: {
        mode: "production",
        auth: { mode: "token", token: { source: "exec", provider: "vault", id: "gateway/token" } },
      },
      models: {
        providers: {
          openai: {
            baseUrl: setup.baseUrl,
            apiKey: { source: "file", provider: "filemain", id: "/providers/openai/apiKey" },
          },
        },
      },
      agents: { entries: { main: { model: "openai/gpt-4o-mini" } } },
    }),
  });

  const ask = (authorization: string) =>
    fetch(`${running.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization },
      body: JSON.stringify({ model: "openclaw/main", messages: [{ role: "user", content: "ping" }] }),
      signal: AbortSignal.timeout(20_000),
    });

  it("answers through the provider whose key came from a JSON file, behind the token an exec resolver gave", async () => {
    const response = await ask(`Bearer ${GATEWAY_TOKEN}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toContain("ping");
    expect(running.provider.lastRequest?.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it("refuses another token", async () => {
    expect((await ask("Bearer not-the-token")).status).toBe(401);
  });
});
