import type { IncomingMessage, ServerResponse } from "node:http";
import type { Parameters } from "./fake-bot-methods.js";

/** How the Bot API writes an answer: JSON with its length, status = `error_code` on failure. */
export function respond(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/** How the Bot API reads a call: a JSON or form body (no multipart: the fake takes no uploads). */
export async function readParameters(request: IncomingMessage): Promise<Parameters> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  const body = Buffer.concat(chunks).toString("utf8");
  if (body.length === 0) return {};
  const type = (request.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("application/json")) {
    const value: unknown = JSON.parse(body);
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new Error("can't parse JSON object");
    return value as Parameters;
  }
  if (type.startsWith("application/x-www-form-urlencoded")) return decodeFields(new URLSearchParams(body));
  throw new Error("the fake Bot API reads JSON and form bodies only (no multipart uploads)");
}

/** Form and query fields are strings; Telegram reads the structured ones (reply_parameters …) as JSON. */
export function decodeFields(fields: URLSearchParams): Parameters {
  const parameters: Parameters = {};
  for (const [name, value] of fields) parameters[name] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  return parameters;
}
