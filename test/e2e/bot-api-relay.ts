import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One Bot API call that went through a relay: its method, when it came, how it was answered. */
export interface RelayedCall {
  method: string;
  at: number;
  /** The fake's HTTP status; absent while the call is still open (a long poll). */
  status?: number;
}

/**
 * A loopback relay in front of the fake Bot API, one per gateway of a cluster test: the fake
 * cannot tell its clients apart (they all send the same token from 127.0.0.1), so each gateway's
 * `apiRoot` is its own relay, which records the methods that gateway called.
 */
export class BotApiRelay {
  readonly calls: RelayedCall[] = [];
  #server: Server | undefined;

  /** Listens on a free loopback port and forwards everything to `target` (the fake's apiRoot). */
  async start(target: string): Promise<{ apiRoot: string }> {
    const upstream = new URL(target);
    const server = createServer((incoming, outgoing) => {
      const method = /\/bot[^/]+\/([A-Za-z]+)$/.exec(incoming.url ?? "")?.[1]?.toLowerCase() ?? "unknown";
      const call: RelayedCall = { method, at: Date.now() };
      this.calls.push(call);
      const forwarded = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          call.status = answer.statusCode;
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forwarded.on("error", () => {
        if (!outgoing.headersSent) outgoing.writeHead(502);
        outgoing.end();
      });
      // A client that gives up (grammY aborting its poll, a killed gateway) gives up upstream
      // too, as it would talking to the fake directly: the fake then forgets that poll.
      outgoing.on("close", () => {
        if (!outgoing.writableFinished) forwarded.destroy();
      });
      incoming.pipe(forwarded);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.#server = server;
    const { port } = server.address() as AddressInfo;
    return { apiRoot: `http://127.0.0.1:${port}` };
  }

  /** Calls of `method` (lower case, e.g. `getupdates`) made at or after `since` (epoch ms). */
  count(method: string, since = 0): number {
    return this.calls.filter((call) => call.method === method && call.at >= since).length;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
