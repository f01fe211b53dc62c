import { request as httpRequest } from "node:http";

export interface LoopbackReply<Body = Record<string, any>> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The JSON answer, or `{ text }` when it was not JSON. */
  body: Body;
}

export interface LoopbackRequest {
  method: string;
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string;
  /** The loopback source address (127.0.0.2 is "another local process" to the gateway). */
  from?: string;
  /** The address dialed; ::1 when sending from ::1. */
  host?: string;
}

/** A request from a chosen loopback source address, with headers exactly as given. */
export function loopbackRequest<Body = Record<string, any>>(
  port: number,
  options: LoopbackRequest,
): Promise<LoopbackReply<Body>> {
  return new Promise((resolve, reject) => {
    const from = options.from ?? "127.0.0.1";
    const request = httpRequest(
      {
        method: options.method,
        host: from === "::1" ? "::1" : (options.host ?? "127.0.0.1"),
        port,
        path: options.path,
        localAddress: from,
        headers: options.headers ?? {},
        timeout: 10_000,
        // Each request on a connection of its own: a refused upgrade's socket is closed by the server.
        agent: false,
      },
      (response) => {
        let text = "";
        response.on("data", (chunk) => {
          text += chunk;
        });
        response.on("end", () => {
          let body: Body;
          try {
            body = JSON.parse(text) as Body;
          } catch {
            body = { text } as Body;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
        });
      },
    );
    request.on("error", reject);
    // Node's client hands a 101 to 'upgrade'; any other answer to an upgrade is a response.
    request.on("upgrade", (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 101, headers: response.headers, body: {} as Body });
    });
    request.end(options.body);
  });
}
