import { describe, expect, it } from "vitest";
import { chat } from "./chat-http.js";
import { withTestAuth } from "./harness.js";
import { useProviderGateway } from "./provider-gateway.js";

const API_KEY = "sk-ant-provider-forms-not-a-real-key-0123456789";

describe("a gateway whose provider is written in OpenClaw's form", () => {
  const running = useProviderGateway({
    apiKey: API_KEY,
    config: ({ baseUrl }) =>
      withTestAuth({
        models: {
          mode: "merge",
          providers: {
            "claude-proxy": {
              baseUrl,
              apiKey: API_KEY,
              api: "anthropic-messages",
              timeoutSeconds: 30,
              models: [{ id: "claude-sonnet-4-5", name: "Claude Sonnet", contextWindow: 200000 }],
            },
          },
        },
        agents: { entries: { main: { model: "claude-proxy/claude-sonnet-4-5" } } },
      }),
  });

  it("answers through it with the wire format its api names", async () => {
    const reply = await chat(running.gateway.url, "main", "ping");
    expect(reply.status).toBe(200);
    expect(reply.text).toBe("You said: ping");
    expect(running.provider.lastRequest?.path).toMatch(/\/messages$/);
    expect(running.provider.lastRequest?.headers["x-api-key"]).toBe(API_KEY);
  });
});
