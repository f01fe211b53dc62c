import { createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { isOpenClawError } from "../../errors.js";
import { createIrcAccount, type IrcAccountOptions } from "./index.js";
import { recordingSink } from "./testing/recording-sink.js";

/** A scripted server: `reply` answers each line the client sends. */
interface FakeServer {
  port: number;
  received: string[];
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function fakeServer(reply: (line: string, socket: Socket) => void): Promise<FakeServer> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
    let buffer = "";
    socket.on("data", (data) => {
      buffer += data.toString("utf8");
      for (let end = buffer.indexOf("\r\n"); end !== -1; end = buffer.indexOf("\r\n")) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        received.push(line);
        reply(line, socket);
      }
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    received,
    close: async () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}

function account(port: number, overrides: Partial<IrcAccountOptions> = {}) {
  return createIrcAccount({
    accountId: "default",
    host: "127.0.0.1",
    port,
    tls: false,
    nick: "openclaw",
    channels: [],
    connectTimeoutMs: 2_000,
    ...overrides,
  });
}

async function startError(options: { port: number } & Partial<IrcAccountOptions>): Promise<unknown> {
  const subject = account(options.port, options);
  try {
    return await subject.start(recordingSink()).then(
      () => undefined,
      (reason: unknown) => reason,
    );
  } finally {
    await subject.stop();
  }
}

/** Answers CAP negotiation offering SASL, and registration with 001 unless `onAuthenticate` says no. */
function saslServer(onAuthenticate: (line: string, socket: Socket) => void) {
  return fakeServer((line, socket) => {
    if (line.startsWith("CAP LS")) socket.write(":fake.test CAP * LS :sasl\r\n");
    else if (line.startsWith("CAP REQ"))
      socket.write(`:fake.test CAP * ACK :${line.split(":")[1] ?? "sasl"}\r\n`);
    else if (line.startsWith("AUTHENTICATE")) onAuthenticate(line, socket);
    else if (line === "CAP END") socket.write(":fake.test 001 openclaw :Welcome\r\n");
  });
}

describe("IRC account start failures", () => {
  it("reports a refused connection as a connect error", async () => {
    const closed = await fakeServer(() => {});
    servers.pop()?.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const error = await startError({ port: closed.port });
    expect(isOpenClawError(error) && error.code).toBe("OC_ERR_CHANNEL_CONNECT");
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });

  it("gives up on a server that never registers the connection", async () => {
    const silent = await fakeServer(() => {});
    const started = Date.now();
    const error = await startError({ port: silent.port, connectTimeoutMs: 300 });
    expect(isOpenClawError(error) && error.code).toBe("OC_ERR_CHANNEL_CONNECT");
    expect((error as Error).message).toMatch(/within 300 ms/);
    expect(Date.now() - started).toBeLessThan(1_500);
    await silent.close();
  });

  it("reports a SASL refusal (904) as an auth error without the password", async () => {
    const server = await saslServer((line, socket) => {
      if (line === "AUTHENTICATE PLAIN") socket.write("AUTHENTICATE +\r\n");
      else socket.write(":fake.test 904 openclaw :SASL authentication failed\r\n");
    });
    const error = await startError({
      port: server.port,
      sasl: { account: "claw", password: "sasl-secret-77" },
    });
    expect(isOpenClawError(error) && error.code).toBe("OC_ERR_CHANNEL_AUTH");
    expect(
      JSON.stringify(error) + String(error) + (isOpenClawError(error) ? error.describe() : ""),
    ).not.toContain("sasl-secret-77");
    const credentials = server.received.find(
      (line) => line.startsWith("AUTHENTICATE ") && line !== "AUTHENTICATE PLAIN",
    );
    expect(Buffer.from(credentials!.slice("AUTHENTICATE ".length), "base64").toString()).toBe(
      "claw\0claw\0sasl-secret-77",
    );
    await server.close();
  });

  it("never offers the server password over SASL when SASL is not configured", async () => {
    const server = await saslServer((_line, socket) => socket.write(":fake.test 904 openclaw :no\r\n"));
    const subject = account(server.port, { serverPassword: "server-secret" });
    await expect(subject.start(recordingSink())).resolves.toEqual({ id: "openclaw", username: "openclaw" });
    await subject.stop();
    expect(server.received).toContain("PASS server-secret");
    expect(server.received.some((line) => line.startsWith("AUTHENTICATE"))).toBe(false);
    await server.close();
  });

  it("rejects a pending start when stopped", async () => {
    const silent = await fakeServer(() => {});
    const subject = account(silent.port, { connectTimeoutMs: 5_000 });
    const starting = subject.start(recordingSink());
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await subject.stop();
    await expect(starting).rejects.toMatchObject({ code: "OC_ERR_CHANNEL_CONNECT" });
    expect(Date.now() - started).toBeLessThan(1_000);
    await silent.close();
  });

  it("reports an unexpected close after registration once, through sink.fail", async () => {
    const server = await fakeServer((line, socket) => {
      if (line.startsWith("USER")) socket.write(":fake.test 001 openclaw :Welcome\r\n");
    });
    const subject = account(server.port);
    const sink = recordingSink();
    await subject.start(sink);
    await server.close();
    await sink.waitFor(() => sink.failures.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sink.failures).toHaveLength(1);
    await subject.stop();
  });

  it("reports an exception thrown while handling an event through sink.fail, not uncaught", async () => {
    const server = await fakeServer((line, socket) => {
      if (line.startsWith("USER")) socket.write(":fake.test 001 openclaw :Welcome\r\n");
      // Any line from the account makes the server kick it, which the account reports with sink.warn.
      if (line.startsWith("PRIVMSG")) socket.write(":op!op@host KICK #ops openclaw :out\r\n");
    });
    const subject = account(server.port);
    const sink = recordingSink();
    sink.warn = () => {
      throw new Error("sink broke");
    };
    await subject.start(sink);
    await subject.send({ peer: { kind: "direct", id: "someone" } }, "hello");
    await sink.waitFor(() => sink.failures.length === 1);
    expect((sink.failures[0] as Error).message).toBe("sink broke");
    await subject.stop();
    await server.close();
  });
});
