import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, startGateway, type TempHome, tempHome } from "./harness.js";

// Bad input never crashes the gateway: each case is a 4xx with a JSON error body.
describe("HTTP error handling", () => {
  let home: TempHome;
  let gateway: RunningGateway;

  beforeAll(async () => {
    home = await tempHome({ gateway: { maxBodyBytes: 4096 } });
    gateway = await startGateway(home);
  });
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  const post = (body: string, contentType = "application/json") =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": contentType },
      body,
    });

  const cases: { name: string; send: () => Promise<Response>; status: number; message: RegExp }[] = [
    { name: "malformed JSON", send: () => post("{not json"), status: 400, message: /JSON/ },
    {
      name: "oversize body",
      send: () => post(JSON.stringify({ pad: "x".repeat(10_000) })),
      status: 413,
      message: /maxBodyBytes/,
    },
    {
      name: "missing model",
      send: () => post(JSON.stringify({ messages: [] })),
      status: 400,
      message: /model/,
    },
    {
      name: "empty messages",
      send: () => post(JSON.stringify({ model: "openclaw/main", messages: [] })),
      status: 400,
      message: /messages/,
    },
    {
      name: "bad role",
      send: () =>
        post(JSON.stringify({ model: "openclaw/main", messages: [{ role: "wizard", content: "x" }] })),
      status: 400,
      message: /role/,
    },
    {
      name: "image content",
      send: () =>
        post(
          JSON.stringify({
            model: "openclaw/main",
            messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "x" } }] }],
          }),
        ),
      status: 400,
      message: /image_url/,
    },
    {
      name: "unknown agent",
      send: () =>
        post(JSON.stringify({ model: "openclaw/ghost", messages: [{ role: "user", content: "x" }] })),
      status: 404,
      message: /ghost/,
    },
    {
      name: "wrong content type",
      send: () => post("<x/>", "application/xml"),
      status: 415,
      message: /Content-Type/,
    },
    {
      name: "wrong method",
      send: () => fetch(`${gateway.url}/v1/chat/completions`),
      status: 405,
      message: /GET/,
    },
    {
      name: "wrong method on status",
      send: () => fetch(`${gateway.url}/__openclaw__/status`, { method: "DELETE" }),
      status: 405,
      message: /DELETE/,
    },
    { name: "unknown route", send: () => fetch(`${gateway.url}/nope`), status: 404, message: /nope/ },
  ];

  for (const testCase of cases) {
    it(`${testCase.name} → ${testCase.status}`, async () => {
      const response = await testCase.send();
      expect(response.status).toBe(testCase.status);
      expect(response.headers.get("content-type")).toMatch(/application\/json/);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(testCase.message);
    });
  }

  it("names the allowed methods on 405", async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("still serves after all of the above", async () => {
    const response = await post(
      JSON.stringify({ model: "openclaw/main", messages: [{ role: "user", content: "ok?" }] }),
    );
    expect(response.status).toBe(200);
  });
});
