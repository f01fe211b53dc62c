import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import { connect, type Socket } from "node:net";
import type { HostLookup, NavigationPolicy } from "./navigation-policy.js";
import { resolveDestination } from "./navigation-policy.js";

/**
 * The only way out for Chromium: a loopback HTTP proxy that checks every connection it is asked
 * for. Request interception alone misses the hops of a redirect (playwright routes only the first
 * request of a chain) and cannot pin DNS; here each hop is a new proxy request, and the proxy
 * connects to the very address it checked.
 */
export class PolicyProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly policy: () => NavigationPolicy,
    private readonly lookup?: HostLookup,
  ) {}

  async start(): Promise<string> {
    const server = createServer((request, response) => {
      void this.forward(request, response);
    });
    server.on("connect", (request: IncomingMessage, client: Socket) => void this.tunnel(request, client));
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    this.server = server;
    const address = server.address();
    if (typeof address !== "object" || address === null) throw new Error("policy proxy has no address");
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  private async forward(request: IncomingMessage, response: import("node:http").ServerResponse) {
    let target: URL;
    try {
      target = new URL(request.url ?? "");
    } catch {
      response.writeHead(400).end("absolute URL required");
      return;
    }
    if (target.protocol !== "http:") {
      response.writeHead(400).end("http only (https goes through CONNECT)");
      return;
    }
    const verdict = await resolveDestination(target.hostname, this.policy(), this.lookup);
    if (!verdict.allowed) {
      response
        .writeHead(403, { "content-type": "text/plain; charset=utf-8" })
        .end(`refused by the gateway's browser policy: ${verdict.reason}`);
      return;
    }
    const headers = { ...request.headers };
    delete headers["proxy-connection"];
    delete headers["proxy-authorization"];
    const upstream = httpRequest(
      {
        host: verdict.address,
        port: Number(target.port || 80),
        method: request.method,
        path: `${target.pathname}${target.search}`,
        headers,
        setHost: false,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on("error", () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    request.pipe(upstream);
  }

  private async tunnel(request: IncomingMessage, client: Socket) {
    const [hostname = "", port = "443"] = splitHostPort(request.url ?? "");
    const verdict = await resolveDestination(hostname, this.policy(), this.lookup);
    if (!verdict.allowed) {
      client.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\n${verdict.reason}`);
      return;
    }
    const upstream = connect(Number(port), verdict.address, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.pipe(client);
      client.pipe(upstream);
    });
    // Either side ending ends the tunnel: no half-open sockets to a site once the browser is gone.
    upstream.on("error", () => client.destroy());
    upstream.on("close", () => client.destroy());
    client.on("error", () => upstream.destroy());
    client.on("close", () => upstream.destroy());
  }
}

function splitHostPort(authority: string): [string, string] {
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(authority);
  if (bracketed?.[1] && bracketed[2]) return [bracketed[1], bracketed[2]];
  const index = authority.lastIndexOf(":");
  return index < 0 ? [authority, "443"] : [authority.slice(0, index), authority.slice(index + 1)];
}
