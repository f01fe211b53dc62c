import { describe, expect, it } from "vitest";
import { runCli, useGateway, waitFor } from "./harness.js";

const GATEWAY_TOKEN = "Gateway-token-for-wakes-0123456789abcdef";
const HOOK_TOKEN = "Hook-token-for-wakes-0123456789abcdefghij";

/**
 * A webhook wake with `mode: "next-heartbeat"` waits for the agent's next heartbeat, which
 * carries it (OpenClaw's wake queue), rather than starting a turn of its own.
 */
describe("a next-heartbeat wake rides the agent's next heartbeat", () => {
  const running = useGateway(
    {
      externalSecrets: {
        "gateway-token": { source: "env", key: "OPENCLAW_TEST_GATEWAY_TOKEN" },
        "hooks-token": { source: "env", key: "OPENCLAW_TEST_HOOKS_TOKEN" },
      },
      gateway: { auth: { mode: "token", token: { $secret: "gateway-token" } } },
      agents: { main: { model: "dev/echo", heartbeat: { every: "1s", prompt: "heartbeat check" } } },
      hooks: { enabled: true, token: { $secret: "hooks-token" } },
    },
    (home) => {
      home.env.OPENCLAW_TEST_GATEWAY_TOKEN = GATEWAY_TOKEN;
      home.env.OPENCLAW_TEST_HOOKS_TOKEN = HOOK_TOKEN;
      home.env.OPENCLAW_GATEWAY_TOKEN = GATEWAY_TOKEN;
    },
  );

  it("queues the wake, and the next heartbeat turn in the main session carries its text", async () => {
    const response = await fetch(`${running.gateway.url}/hooks/wake`, {
      method: "POST",
      headers: { authorization: `Bearer ${HOOK_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ text: "deploy 4711 finished", mode: "next-heartbeat" }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, mode: "next-heartbeat", eventOutcome: "queued" });
    const shown = await waitFor(async () => {
      const session = await runCli(["sessions", "show", "agent:main:main"], running.home.env);
      return session.stdout.includes("deploy 4711 finished") ? session.stdout : undefined;
    }, 15_000);
    // One turn: the wake text came with the heartbeat's own prompt, not as a turn of its own.
    expect(shown).toMatch(/deploy 4711 finished[\s\S]*heartbeat check/);
  });
});
