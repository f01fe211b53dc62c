import { writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { authHeaders, useGateway, waitFor, withTestAuth } from "./harness.js";

const chatStatus = async (url: string) =>
  (
    await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...authHeaders(url) },
      body: JSON.stringify({ model: "openclaw/main", messages: [{ role: "user", content: "ping" }] }),
      signal: AbortSignal.timeout(20_000),
    })
  ).status;

describe("gateway.http.endpoints.*.enabled", () => {
  const running = useGateway({ gateway: { http: { endpoints: { chatCompletions: { enabled: false } } } } });

  it("refuses chat completions with 404 naming the setting when chatCompletions is off", async () => {
    const response = await fetch(`${running.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", ...authHeaders(running.gateway.url) },
      body: JSON.stringify({ model: "openclaw/main", messages: [{ role: "user", content: "ping" }] }),
    });
    expect(response.status).toBe(404);
    expect(JSON.stringify(await response.json())).toContain("gateway.http.endpoints.chatCompletions.enabled");
  });

  it("follows the file: on again, chat answers; both off, the model list goes too", async () => {
    const write = (endpoints: unknown) =>
      writeFile(
        running.gateway.home.configPath,
        JSON.stringify(withTestAuth({ gateway: { http: { endpoints } } })),
      );
    const models = async () =>
      (await fetch(`${running.gateway.url}/v1/models`, { headers: authHeaders(running.gateway.url) })).status;
    expect(await models()).toBe(200);
    await write({ chatCompletions: { enabled: true } });
    await waitFor(async () => (await chatStatus(running.gateway.url)) === 200, 15_000);
    await write({ chatCompletions: { enabled: false }, responses: { enabled: false } });
    await waitFor(async () => (await models()) === 404, 15_000);
    expect(await chatStatus(running.gateway.url)).toBe(404);
  });
});
