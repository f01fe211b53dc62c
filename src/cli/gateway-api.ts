import { ERROR_SPECS, type ErrorCode, OpenClawError } from "../errors.js";
import type { GatewayRuntimeState } from "../gateway/runtime-state.js";
import { cliPaths } from "./cli-context.js";
import { findRunningGateway, localGatewayToken } from "./daemon.js";
import { readCa, requestLocalGateway } from "./local-http.js";

/** Whether a gateway runs for this state dir (the state dir, not the config file, says which). */
export async function runningGatewayUrl(): Promise<string | undefined> {
  return (await findRunningGateway(cliPaths({}).stateDir))?.url;
}

/** The gateway this state dir runs, or the error every command gives when there is none. */
export async function requireRunningGateway(): Promise<GatewayRuntimeState> {
  const running = await findRunningGateway(cliPaths({}).stateDir);
  if (!running) {
    throw new OpenClawError("OC_ERR_GATEWAY_NOT_RUNNING", "the gateway is not running", {
      hint: "start it with `openclaw gateway start`",
    });
  }
  return running;
}

/** Calls the running gateway's operator API; its typed errors come back as ours. */
export async function callGateway(
  path: string,
  method: "GET" | "POST" | "DELETE",
  body?: unknown,
  options: { timeoutMs?: number } = {},
): Promise<unknown> {
  const { stateDir } = cliPaths({});
  const running = await requireRunningGateway();
  const token = localGatewayToken(stateDir);
  const ca = readCa(running.tlsCertPath);
  return callGatewayAt(
    { url: running.url, ...(token ? { secret: token } : {}), ...(ca ? { ca } : {}) },
    path,
    method,
    body,
    options,
  );
}

/** Where a gateway is and the operator credential for it (a token, or the password: both go as Bearer). */
export interface GatewayTarget {
  url: string;
  secret?: string;
  ca?: string;
}

/** Calls a gateway's operator API at a given address (`mcp serve --url`); typed errors as callGateway's. */
export async function callGatewayAt(
  target: GatewayTarget,
  path: string,
  method: "GET" | "POST" | "DELETE",
  body?: unknown,
  options: { timeoutMs?: number } = {},
): Promise<unknown> {
  const response = await requestLocalGateway(`${target.url.replace(/\/+$/, "")}${path}`, {
    method,
    headers: {
      ...(target.secret ? { authorization: `Bearer ${target.secret}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    ...(target.ca ? { ca: target.ca } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  const answer = (response.body ?? {}) as { error?: { code: string; message: string; hint?: string } };
  if (response.status < 200 || response.status >= 300) {
    const code = (answer.error?.code ?? "OC_ERR_INTERNAL") as ErrorCode;
    throw new OpenClawError(
      code in ERROR_SPECS ? code : "OC_ERR_INTERNAL",
      answer.error?.message ?? `HTTP ${response.status}`,
      answer.error?.hint ? { hint: answer.error.hint } : {},
    );
  }
  return answer;
}
