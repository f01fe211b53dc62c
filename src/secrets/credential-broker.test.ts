import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CredentialBroker } from "./credential-broker.js";
import { Redactor, SECRET_MASK } from "./redactor.js";

const KEY = "sk-ant-api03-broker-test-0123456789";

interface Seen {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback server that records requests and answers 200, or 401 echoing the key it got. */
async function startServer(): Promise<{ server: Server; origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      seen.push({ headers: request.headers, body });
      if (request.url === "/fail") {
        response.writeHead(401, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: `invalid x-api-key: ${request.headers["x-api-key"]}` }));
        return;
      }
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}`, seen };
}

describe("CredentialBroker", () => {
  let values: Map<string, string>;
  let redactor: Redactor;
  let broker: CredentialBroker;
  let target: Awaited<ReturnType<typeof startServer>>;

  beforeEach(async () => {
    values = new Map([["claude-api-key", KEY]]);
    redactor = new Redactor();
    redactor.add(KEY);
    broker = new CredentialBroker({ get: (name) => values.get(name) }, redactor);
    target = await startServer();
  });
  afterEach(() => new Promise((resolve) => target.server.close(resolve)));

  it("gives a stable opaque placeholder and swaps it for the current value on the bound origin", async () => {
    const source = { kind: "secret", name: "claude-api-key" } as const;
    const placeholder = broker.placeholderFor(source, target.origin, "models.providers.anthropic.apiKey");
    expect(placeholder).toMatch(/^oc-cred-[0-9a-f]{32}$/);
    expect(broker.placeholderFor(source, target.origin, "x")).toBe(placeholder);
    expect(placeholder).not.toContain(KEY);

    await broker.fetch(`${target.origin}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": placeholder },
    });
    expect(target.seen[0]?.headers["x-api-key"]).toBe(KEY);

    // Rotation: the next request carries the new value, with the same placeholder.
    const rotated = `${KEY}-rotated`;
    values.set("claude-api-key", rotated);
    await broker.fetch(`${target.origin}/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${placeholder}` },
    });
    expect(target.seen[1]?.headers.authorization).toBe(`Bearer ${rotated}`);
  });

  it("refuses to send a credential to any other origin", async () => {
    const placeholder = broker.placeholderFor(
      { kind: "secret", name: "claude-api-key" },
      "https://api.anthropic.com",
      "models.providers.anthropic.apiKey",
    );
    await expect(
      broker.fetch(`${target.origin}/steal`, { headers: { "x-api-key": placeholder } }),
    ).rejects.toMatchObject({
      code: "OC_ERR_EGRESS_DENIED",
      message: expect.stringContaining("may only be sent to https://api.anthropic.com"),
    });
    expect(target.seen).toHaveLength(0);
  });

  it("masks the value in request bodies and in error bodies that echo it", async () => {
    const placeholder = broker.placeholderFor({ kind: "secret", name: "claude-api-key" }, target.origin, "p");
    const response = await broker.fetch(`${target.origin}/fail`, {
      method: "POST",
      headers: { "x-api-key": placeholder },
      body: JSON.stringify({ messages: [{ role: "tool", content: `file says ${KEY}` }] }),
    });
    expect(target.seen[0]?.body).toContain(SECRET_MASK);
    expect(target.seen[0]?.body).not.toContain(KEY);
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(text).toContain("invalid x-api-key");
    expect(text).not.toContain(KEY);
  });

  it("fails clearly when the secret behind a placeholder has no value", async () => {
    const placeholder = broker.placeholderFor({ kind: "secret", name: "gone" }, target.origin, "p");
    await expect(
      broker.fetch(`${target.origin}/`, { headers: { "x-api-key": placeholder } }),
    ).rejects.toMatchObject({
      code: "OC_ERR_SECRET_UNAVAILABLE",
    });
  });
});
