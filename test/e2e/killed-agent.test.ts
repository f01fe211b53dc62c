import { describe, expect, it } from "vitest";
import { runCli, useGateway, waitFor } from "./harness.js";

// Issue 19: a killed agent answered 503 with no word of `openclaw agents restart`, and the
// 503's x-openclaw-turn-id found nothing in `openclaw logs --turn`.
describe("a turn sent to a killed agent", () => {
  const context = useGateway({ agents: { main: {} } });

  it("answers 503 saying how to restart it, and logs the refusal under its turn id", async () => {
    const { gateway, home } = context;
    expect((await runCli(["agents", "kill", "main"], home.env)).code).toBe(0);
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...gateway.headers },
      body: JSON.stringify({ model: "openclaw/main", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(503);
    // The OpenAI-shaped body carries the hint in its message (OpenAI clients show only that).
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("agent_unavailable");
    expect(body.error.message).toContain("is stopped");
    expect(body.error.message).toContain("openclaw agents restart main");
    const turnId = response.headers.get("x-openclaw-turn-id") as string;
    expect(turnId).toMatch(/^[0-9a-f-]{36}$/);

    const lines = await waitFor(async () => {
      const logs = await runCli(["logs", "--turn", turnId, "--json"], home.env);
      const parsed = logs.stdout
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      return parsed.length > 0 ? parsed : undefined;
    });
    expect(lines[0]).toMatchObject({
      msg: "turn refused",
      turn: turnId,
      agent: "main",
      code: "OC_ERR_AGENT_UNAVAILABLE",
    });
  });
});
