import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import type { CheckedHost } from "./ssrf-policy.js";

/**
 * One GET to the address that was checked. The socket's `lookup` answers with that address
 * whatever DNS says now, so a name that changes between the check and the connect (DNS
 * rebinding) cannot move the request elsewhere; the Host header and TLS SNI stay the hostname.
 */
export function pinnedGet(
  url: URL,
  host: CheckedHost,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: host.address, family: host.family }]);
    else callback(null, host.address, host.family);
  };
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(url, {
      method: "GET",
      headers,
      lookup,
      signal,
      // SNI carries names only (RFC 6066): an IP literal goes without one.
      ...(isIP(host.hostname) ? {} : { servername: host.hostname }),
      agent: false,
    });
    outgoing.once("response", resolve);
    outgoing.once("error", reject);
    outgoing.end();
  });
}

/** Reads at most `maxBytes` of a body, then destroys the socket: the rest is never downloaded. */
export async function readCapped(
  response: IncomingMessage,
  maxBytes: number,
): Promise<{ body: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    const buffer = chunk as Buffer;
    if (size + buffer.length > maxBytes) {
      chunks.push(buffer.subarray(0, maxBytes - size));
      size = maxBytes;
      response.destroy();
      return { body: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(buffer);
    size += buffer.length;
  }
  return { body: Buffer.concat(chunks), truncated: false };
}
