import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MessageChannel } from "node:worker_threads";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEgressRelay, EgressRelayHost } from "./egress-relay.js";
import type { EgressFromWorker, EgressToWorker } from "./worker-protocol.js";

/** Both ends of the relay over a real MessageChannel, as between a worker and the gateway. */
function connectRelay(egressFetch: typeof fetch) {
  const channel = new MessageChannel();
  const host = new EgressRelayHost(egressFetch, (message, transfer) =>
    channel.port2.postMessage(message, transfer),
  );
  channel.port2.on("message", (message: EgressFromWorker) => host.handle(message));
  const relay = createEgressRelay((message) => channel.port1.postMessage(message));
  channel.port1.on("message", (message: EgressToWorker) => relay.onMessage(message));
  return {
    fetch: relay.fetch,
    close: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
}

describe("egress relay", () => {
  let server: Server;
  let origin: string;
  /** Resolves when the server sees the /hang request's connection close. */
  let closedEarly: Promise<void>;
  let relay: ReturnType<typeof connectRelay>;

  beforeEach(async () => {
    let onClosed: () => void = () => undefined;
    closedEarly = new Promise((resolve) => {
      onClosed = resolve;
    });
    server = createServer((request, response) => {
      if (request.url === "/stream") {
        response.writeHead(200, { "content-type": "text/event-stream" });
        let count = 0;
        const timer = setInterval(() => {
          response.write(`data: ${count++}\n\n`);
          if (count === 3) {
            clearInterval(timer);
            response.end();
          }
        }, 20);
        return;
      }
      if (request.url === "/hang") {
        response.writeHead(200);
        response.write("first");
        request.socket.on("close", () => onClosed());
        return;
      }
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", () => {
        response.writeHead(201, { "x-echo-method": request.method ?? "" });
        response.end(`${request.headers["x-api-key"]}|${body}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    relay = connectRelay(globalThis.fetch);
  });
  afterEach(async () => {
    relay.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("relays method, headers and body, and the status, headers and body back", async () => {
    const response = await relay.fetch(`${origin}/echo`, {
      method: "POST",
      headers: { "x-api-key": "placeholder" },
      body: "hello",
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-echo-method")).toBe("POST");
    expect(await response.text()).toBe("placeholder|hello");
  });

  it("streams a response chunk by chunk", async () => {
    const response = await relay.fetch(`${origin}/stream`);
    const chunks: string[] = [];
    const decoder = new TextDecoder();
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) chunks.push(decoder.decode(chunk));
    expect(chunks.join("")).toBe("data: 0\n\ndata: 1\n\ndata: 2\n\n");
    expect(chunks.length).toBeGreaterThan(1);
  });

  it("aborting the relayed request closes the real one", async () => {
    const controller = new AbortController();
    const response = await relay.fetch(`${origin}/hang`, { signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toBeDefined();
    // The real request's connection closes (or the test times out): an event, not a poll.
    await closedEarly;
  });

  it("reports a refused connection the way fetch does, so the SDK calls it one", async () => {
    const spare = createServer();
    await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve));
    const closed = `http://127.0.0.1:${(spare.address() as AddressInfo).port}/`;
    await new Promise((resolve) => spare.close(resolve));
    const error = await relay.fetch(closed).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe("fetch failed");
    expect(String((error as TypeError & { cause: Error }).cause.message)).toMatch(/ECONNREFUSED/);
  });
});
