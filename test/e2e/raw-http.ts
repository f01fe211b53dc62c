import { connect } from "node:net";

export interface RawReply {
  /** 0 when the server closed the connection without an answer. */
  status: number;
  headers: Record<string, string>;
  body: string;
  timedOut: boolean;
}

/**
 * Sends `request` (a whole HTTP/1.x request, written byte for byte) and reads one answer. For
 * requests no client library would send: header spellings, request lines and paths exactly as
 * an attacker writes them.
 */
export function sendRaw(port: number, request: string, timeoutMs = 5000): Promise<RawReply> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    let data = Buffer.alloc(0);
    let settled = false;
    const finish = (timedOut = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parse(data.toString("latin1")), timedOut });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on("connect", () => socket.write(request, "latin1"));
    socket.on("data", (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (complete(data.toString("latin1"), request.startsWith("HEAD "))) finish();
    });
    socket.on("error", () => finish());
    socket.on("close", () => finish());
  });
}

function parse(text: string): Omit<RawReply, "timedOut"> {
  const end = text.indexOf("\r\n\r\n");
  if (end === -1) return { status: 0, headers: {}, body: "" };
  const [statusLine = "", ...lines] = text.slice(0, end).split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: text.slice(end + 4) };
}

/** Whether one whole answer is in: a 101, a body of content-length, or a last chunk. */
function complete(text: string, head: boolean): boolean {
  const end = text.indexOf("\r\n\r\n");
  if (end === -1) return false;
  const { status, headers } = parse(text);
  if (head || status === 101 || status === 204 || status === 304) return true;
  const body = text.length - end - 4;
  if (headers["content-length"] !== undefined) return body >= Number(headers["content-length"]);
  if (headers["transfer-encoding"]?.includes("chunked")) return text.endsWith("0\r\n\r\n");
  return false;
}

/** A request in wire form: request line, headers in the given order and spelling, body. */
export function rawRequest(options: {
  method: string;
  target: string;
  headers: [name: string, value: string][];
  body?: string;
  version?: "1.0" | "1.1";
}): string {
  const lines = [`${options.method} ${options.target} HTTP/${options.version ?? "1.1"}`];
  for (const [name, value] of options.headers) lines.push(`${name}: ${value}`);
  if (options.body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(options.body)}`);
  return `${lines.join("\r\n")}\r\n\r\n${options.body ?? ""}`;
}
