import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { answer, readCappedBody, WebhookListener } from "./webhook-listener.js";

/** Echoes the body it reads (capped at 16 bytes), or throws when the body says so. */
class EchoListener extends WebhookListener {
  readonly failures: unknown[] = [];

  protected onFailure(error: unknown): void {
    this.failures.push(error);
  }

  protected async handlePost(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readCappedBody(request, 16);
    if (body === undefined) return answer(response, 413, { connection: "close" });
    if (body.toString("utf8") === "throw") throw new Error("handler broke");
    answer(response, 200, {}, body.toString("utf8"));
  }
}

let listener: EchoListener;
let base: string;

beforeEach(async () => {
  listener = new EchoListener({ host: "127.0.0.1", port: 0, path: "/hook" });
  const { host, port } = await listener.listen();
  base = `http://${host}:${port}`;
});
afterEach(() => listener.close());

describe("WebhookListener", () => {
  it("serves /healthz to GET and HEAD only", async () => {
    const get = await fetch(`${base}/healthz`);
    expect([get.status, await get.text()]).toEqual([200, "ok"]);
    expect((await fetch(`${base}/healthz`, { method: "HEAD" })).status).toBe(200);
    const post = await fetch(`${base}/healthz`, { method: "POST", body: "x" });
    expect([post.status, post.headers.get("allow")]).toEqual([405, "GET"]);
  });

  it("answers 404 off the path and 405 to anything but POST on it", async () => {
    expect((await fetch(`${base}/other`, { method: "POST", body: "x" })).status).toBe(404);
    const get = await fetch(`${base}/hook`);
    expect([get.status, get.headers.get("allow")]).toEqual([405, "POST"]);
  });

  it("hands a POST on the path (query ignored) to the platform", async () => {
    const response = await fetch(`${base}/hook?x=1`, { method: "POST", body: "hello" });
    expect([response.status, await response.text()]).toEqual([200, "hello"]);
  });

  it("refuses a body past the cap, declared or streamed", async () => {
    const declared = await fetch(`${base}/hook`, { method: "POST", body: "x".repeat(17) });
    expect(declared.status).toBe(413);
    const chunks = ["x".repeat(10), "y".repeat(10)];
    const streamed = await fetch(`${base}/hook`, {
      method: "POST",
      body: new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
  });

  it("answers 500 when the platform's handler throws, and says why", async () => {
    expect((await fetch(`${base}/hook`, { method: "POST", body: "throw" })).status).toBe(500);
    expect(String(listener.failures[0])).toContain("handler broke");
  });

  it("gives its address while listening and none once closed", async () => {
    expect(listener.address()?.host).toBe("127.0.0.1");
    await listener.close();
    expect(listener.address()).toBeUndefined();
    await listener.close();
  });
});
