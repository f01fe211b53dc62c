import { readdirSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningGateway, startGateway, type TempHome, tempHome } from "./harness.js";

/**
 * Finding 3 of the attack pass: refused WebSocket upgrades stayed in CLOSE-WAIT until the fd
 * limit was reached, and then /health stopped answering and SIGTERM hung. Here the gateway runs
 * with `ulimit -n 256` and is sent more refused upgrades than it has descriptors, from clients
 * that never hang up themselves.
 */

const FD_LIMIT = 256;
const REFUSED_UPGRADES = 300;

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port }, () => resolve(socket));
    socket.on("error", reject);
  });
}

/** Sends an upgrade the boundary refuses; resolves with the status and whether the server hung up. */
function refusedUpgrade(port: number, index: number): Promise<{ status: number; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0), closedByServer: false });
    }, 10_000);
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("data", (chunk) => {
      text += chunk;
    });
    socket.on("end", () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0), closedByServer: true });
    });
    // Half of them a cross-site page's `new WebSocket(...)`, half a canvas without capability.
    const path = index % 2 === 0 ? "/" : "/__openclaw__/canvas/snapshot";
    const origin = index % 2 === 0 ? "Origin: https://evil.example\r\n" : "";
    socket.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${origin}\r\n`,
    );
  });
}

async function health(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(3000) });
  return response.status;
}

describe(`refused upgrades against ulimit -n ${FD_LIMIT}`, () => {
  let home: TempHome;
  let gateway: RunningGateway;

  beforeAll(async () => {
    home = await tempHome({ gateway: { auth: { mode: "token" } } });
    gateway = await startGateway(home, [], {
      launcher: ["prlimit", `--nofile=${FD_LIMIT}:${FD_LIMIT}`, "--"],
    });
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
  });

  it(`closes each of ${REFUSED_UPGRADES} refused upgrades, and /health still answers`, async () => {
    const pid = gateway.process.pid as number;
    const before = readdirSync(`/proc/${pid}/fd`).length;
    const results: { status: number; closedByServer: boolean }[] = [];
    // In waves of 50, held open by the client: only the server can free the descriptors.
    for (let start = 0; start < REFUSED_UPGRADES; start += 50) {
      const wave = Array.from({ length: 50 }, (_, offset) => refusedUpgrade(gateway.port, start + offset));
      results.push(...(await Promise.all(wave)));
    }
    expect(results.filter((result) => result.status === 403)).toHaveLength(REFUSED_UPGRADES / 2);
    expect(results.filter((result) => result.status === 401)).toHaveLength(REFUSED_UPGRADES / 2);
    expect(results.every((result) => result.closedByServer)).toBe(true);
    expect(await health(gateway.port)).toBe(200);
    const after = readdirSync(`/proc/${pid}/fd`).length;
    console.log(`[sockets] fds before ${before}, after ${REFUSED_UPGRADES} refused upgrades ${after}`);
    expect(after).toBeLessThan(before + 10);
  }, 60_000);

  it("exits on SIGTERM within the drain time while clients hold sockets open", async () => {
    const port = gateway.port;
    // Idle keep-alive connections, a request still sending its headers, and WebSocket peers
    // that complete the handshake but never answer the close frame.
    const idle = await Promise.all(Array.from({ length: 10 }, () => openSocket(port)));
    for (const socket of idle) socket.write(`GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    const halfSent = await Promise.all(Array.from({ length: 10 }, () => openSocket(port)));
    for (const socket of halfSent) socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: web`);
    const silentPeers = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const socket = await openSocket(port);
        socket.write(
          `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        );
        await new Promise<void>((resolve) => socket.once("data", () => resolve()));
        return socket;
      }),
    );
    const exited = new Promise<number>((resolve) => gateway.process.once("exit", () => resolve(Date.now())));
    const sent = Date.now();
    gateway.process.kill("SIGTERM");
    const elapsed = (await exited) - sent;
    console.log(`[sockets] exited ${elapsed} ms after SIGTERM with 30 sockets held open`);
    // The drain time (shutdownGraceMs) is 5 s; nothing here is a turn, so it takes far less.
    expect(elapsed).toBeLessThan(5000);
    for (const socket of [...idle, ...halfSent, ...silentPeers]) socket.destroy();
  }, 30_000);
});
