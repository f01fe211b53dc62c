import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { probeProviderModels } from "./provider-models-probe.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

const spec = (baseUrl: string) => ({
  provider: "local",
  type: "openai-compatible" as const,
  model: "x",
  baseUrl,
});

describe("probeProviderModels", () => {
  it("says a provider that never answers did not answer in time", async () => {
    // Accepts the request and never responds: only the probe's own deadline can end it.
    const baseUrl = await serve(() => undefined);
    const answer = await probeProviderModels(spec(baseUrl), "models.providers.local", fetch, 100);
    expect(answer).toMatchObject({
      ok: false,
      code: "OC_ERR_MODEL_PROVIDER",
      error: `no answer from ${baseUrl}/models within 100 ms`,
    });
  });

  it("points at the base URL when the server has no /models there", async () => {
    const baseUrl = await serve((_request, response) => {
      response.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
    });
    const answer = await probeProviderModels(spec(baseUrl), "models.providers.local", fetch, 2000);
    expect(answer).toMatchObject({
      ok: false,
      status: 404,
      error: "HTTP 404: not found",
      hint: expect.stringContaining("models.providers.local.baseUrl"),
    });
  });

  it("sends no Authorization without a key, and reads the ids of the list", async () => {
    let authorization: string | undefined = "unset";
    const baseUrl = await serve((request, response) => {
      authorization = request.headers.authorization;
      response
        .writeHead(200, { "content-type": "application/json" })
        .end('{"data":[{"id":"a"},{"id":"b"},{}]}');
    });
    const answer = await probeProviderModels(spec(`${baseUrl}/`), "models.providers.local", fetch, 2000);
    expect(answer).toMatchObject({ ok: true, url: `${baseUrl}/models`, models: ["a", "b"] });
    expect(authorization).toBeUndefined();
  });
});
