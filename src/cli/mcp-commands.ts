import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { OpenClawError } from "../errors.js";
import { callGateway, callGatewayAt, requireRunningGateway } from "./gateway-api.js";
import { readCa } from "./local-http.js";

interface ServeOptions {
  url?: string;
  token?: string;
  tokenFile?: string;
  password?: string;
  passwordFile?: string;
  verbose?: boolean;
}

function readSecretFile(path: string, flag: string): string {
  try {
    const value = readFileSync(path, "utf8").trim();
    if (value) return value;
  } catch (error) {
    throw new OpenClawError("OC_ERR_USAGE", `${flag} ${path} cannot be read: ${(error as Error).message}`);
  }
  throw new OpenClawError("OC_ERR_USAGE", `${flag} ${path} is empty`);
}

/** OpenClaw names the gateway by its WebSocket URL; the bridge speaks HTTP on the same port. */
export function gatewayHttpUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OpenClawError("OC_ERR_USAGE", `--url ${url} is not a URL`, {
      hint: "e.g. --url ws://gateway-host:18789 or https://gateway-host:18789",
    });
  }
  const scheme = { "ws:": "http:", "wss:": "https:", "http:": "http:", "https:": "https:" }[parsed.protocol];
  if (!scheme) {
    throw new OpenClawError("OC_ERR_USAGE", `--url ${url}: use ws://, wss://, http:// or https://`);
  }
  return `${scheme}//${parsed.host}`;
}

/** The credential flags, at most one of them (OpenClaw's names); undefined when none is given. */
function credentialOf(options: ServeOptions): string | undefined {
  const given = [
    options.token !== undefined ? "--token" : undefined,
    options.tokenFile !== undefined ? "--token-file" : undefined,
    options.password !== undefined ? "--password" : undefined,
    options.passwordFile !== undefined ? "--password-file" : undefined,
  ].filter(Boolean);
  if (given.length > 1)
    throw new OpenClawError("OC_ERR_USAGE", `pass one of ${given.join(", ")}, not several`);
  if (options.tokenFile !== undefined) return readSecretFile(options.tokenFile, "--token-file");
  if (options.passwordFile !== undefined) return readSecretFile(options.passwordFile, "--password-file");
  return options.token ?? options.password;
}

/**
 * `openclaw mcp serve`: the gateway as an MCP server over stdio, for an MCP client (Claude
 * Desktop, Claude Code, Codex) to spawn. The process is a bridge: it asks the running gateway
 * over its HTTP API with an operator credential (this state dir's gateway and the CLI's own
 * token by default; `--url` with `--token`/`--password` for another) and holds no agent itself.
 */
export function registerMcpCommands(program: Command): void {
  const mcp = program.command("mcp").description("the gateway as an MCP server (`mcp serve`)");
  mcp
    .command("serve")
    .description(
      "serve the gateway's agents as MCP tools over stdio (ask_<agent>, sessions_list, session_history)",
    )
    .option("--url <url>", "the gateway (ws://, wss://, http:// or https://; default: this state dir's)")
    .option("--token <token>", "gateway token (prefer --token-file)")
    .option("--token-file <path>", "read the gateway token from a file")
    .option("--password <password>", "gateway password (prefer --password-file)")
    .option("--password-file <path>", "read the gateway password from a file")
    .option("-v, --verbose", "diagnostics on stderr")
    .action(async (options: ServeOptions) => {
      const secret = credentialOf(options);
      let call = callGateway;
      if (options.url !== undefined) {
        const url = gatewayHttpUrl(options.url);
        call = (path, method, body, callOptions) =>
          callGatewayAt({ url, ...(secret ? { secret } : {}) }, path, method, body, callOptions).catch(
            (error: unknown) => {
              if (error instanceof OpenClawError) throw error;
              throw new OpenClawError("OC_ERR_GATEWAY_NOT_RUNNING", `no gateway answers at ${url}`, {
                hint: `check --url (${(error as Error).message})`,
              });
            },
          );
      } else {
        // Fails at once, with the usual hint, when no gateway runs: an MCP client shows stderr.
        const running = await requireRunningGateway();
        if (secret) {
          const ca = readCa(running.tlsCertPath);
          const target = { url: running.url, secret, ...(ca ? { ca } : {}) };
          call = (path, method, body, callOptions) => callGatewayAt(target, path, method, body, callOptions);
        }
      }
      const { remoteServeBackend, serveOverStdio } = await import("../mcp/serve/index.js");
      await serveOverStdio(remoteServeBackend(call), {
        ...(options.verbose ? { log: (line: string) => process.stderr.write(`${line}\n`) } : {}),
      });
    });
}
