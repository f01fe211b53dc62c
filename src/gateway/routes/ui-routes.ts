import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply } from "fastify";
import { PUBLIC, withAccess } from "../access/route-access.js";

/** The built Control UI: dist/ui beside dist/gateway (see `npm run build:ui`). */
export const UI_DIR = fileURLToPath(new URL("../../ui/", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

/**
 * The UI's own policy: its code from this origin only, its WebSocket to this gateway, and the
 * agents' HTML in srcdoc frames that are sandboxed without `allow-scripts` (an agent's page runs
 * no script at all) and inherit this policy besides.
 */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  // 'self' covers the page's own ws:/wss: origin (CSP3); any other socket is a leak path.
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/** Public UI paths: the page and its assets hold no data; everything they fetch is authenticated. */
export function isUiPath(path: string, method: string): boolean {
  return method === "GET" && (path === "/" || path === "/index.html" || path.startsWith("/assets/"));
}

async function sendFile(reply: FastifyReply, file: string) {
  const body = await readFile(file);
  return reply
    .header("Content-Security-Policy", UI_CSP)
    .header(
      "Cache-Control",
      file.includes(`${sep}assets${sep}`) ? "public, max-age=31536000, immutable" : "no-cache",
    )
    .type(TYPES[extname(file)] ?? "application/octet-stream")
    .send(body);
}

export function uiAvailable(): boolean {
  return existsSync(join(UI_DIR, "index.html"));
}

/** Serves index.html at `/` (done by the caller, which also holds the WebSocket) and /assets/*. */
export function registerUiRoutes(server: FastifyInstance): void {
  server.get<{ Params: { "*": string } }>("/assets/*", withAccess(PUBLIC), async (request, reply) => {
    const wanted = normalize(join(UI_DIR, "assets", request.params["*"]));
    if (!wanted.startsWith(join(UI_DIR, "assets") + sep) || !existsSync(wanted)) {
      return reply.code(404).type("text/plain").send("not found");
    }
    return sendFile(reply, wanted);
  });
}

export function sendUiIndex(reply: FastifyReply) {
  return sendFile(reply, join(UI_DIR, "index.html"));
}
