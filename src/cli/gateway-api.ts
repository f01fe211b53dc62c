import { ERROR_SPECS, type ErrorCode, OpenClawError } from "../errors.js";
import { cliPaths } from "./cli-context.js";
import { findRunningGateway, localGatewayToken } from "./daemon.js";

/** Whether a gateway runs for this state dir (the state dir, not the config file, says which). */
export async function runningGatewayUrl(): Promise<string | undefined> {
  return (await findRunningGateway(cliPaths({}).stateDir))?.url;
}

/** Calls the running gateway's operator API; its typed errors come back as ours. */
export async function callGateway(path: string, method: "GET" | "POST", body?: unknown): Promise<unknown> {
  const url = await runningGatewayUrl();
  if (!url) {
    throw new OpenClawError("OC_ERR_GATEWAY_NOT_RUNNING", "the gateway is not running", {
      hint: "start it with `openclaw gateway start`",
    });
  }
  const token = localGatewayToken(cliPaths({}).stateDir);
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(30_000),
  });
  const answer = (await response.json()) as { error?: { code: string; message: string; hint?: string } };
  if (!response.ok) {
    const code = (answer.error?.code ?? "OC_ERR_INTERNAL") as ErrorCode;
    throw new OpenClawError(
      code in ERROR_SPECS ? code : "OC_ERR_INTERNAL",
      answer.error?.message ?? `HTTP ${response.status}`,
      answer.error?.hint ? { hint: answer.error.hint } : {},
    );
  }
  return answer;
}
