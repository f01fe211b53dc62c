import { readFileSync } from "node:fs";

export interface LocalResponse {
  status: number;
  body: unknown;
}

/** The certificate a local gateway serves (its runtime state says where), for the CLI to trust. */
export function readCa(certPath: string | undefined): string | undefined {
  if (!certPath) return undefined;
  try {
    return readFileSync(certPath, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * A JSON request to the gateway on this host. Not `fetch`: a gateway with a self-signed
 * certificate is trusted here through its own certificate (`ca`), which fetch cannot be given.
 */
export function requestLocalGateway(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    timeoutMs?: number;
    ca?: string;
  },
): Promise<LocalResponse> {
  const target = new URL(url);
  // Loaded here, not imported: every command that might ask the gateway imports this file, and an
  // ESM `import … from "node:http"` builds the module's whole export facade, undici included
  // (≈ 30 ms for node:http and node:https, of every such run); their CommonJS objects cost ≈ 3-5 ms.
  const { request } =
    target.protocol === "https:"
      ? process.getBuiltinModule("node:https")
      : process.getBuiltinModule("node:http");
  return new Promise((resolve, reject) => {
    const outgoing = request(
      target,
      {
        method: options.method ?? "GET",
        headers: options.headers ?? {},
        timeout: options.timeoutMs ?? 30_000,
        ...(options.ca ? { ca: options.ca } : {}),
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => {
          try {
            resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
          } catch {
            resolve({ status: response.statusCode ?? 0, body: { text } });
          }
        });
      },
    );
    outgoing.on("timeout", () => outgoing.destroy(new Error(`${url} did not answer in time`)));
    outgoing.on("error", reject);
    outgoing.end(options.body);
  });
}
