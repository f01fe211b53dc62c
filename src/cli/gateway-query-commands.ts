import type { Command } from "commander";
import { OpenClawError } from "../errors.js";
import { requireRunningGateway } from "./gateway-api.js";
import { callGatewayMethod, GatewayRpcClient } from "./gateway-rpc.js";
import { formatDuration, printJson } from "./output.js";

interface HealthPayload {
  ok: boolean;
  uptimeMs: number;
  agents: { id: string; state: string }[];
}

function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const timeoutMs = Number(value);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    throw new OpenClawError(
      "OC_ERR_USAGE",
      `--timeout must be a positive number of milliseconds, not "${value}"`,
    );
  }
  return timeoutMs;
}

/** `--params` is a JSON object, as the protocol's params are. */
function parseParams(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new OpenClawError("OC_ERR_USAGE", `--params is not JSON: ${(error as Error).message}`, {
      hint: `pass a JSON object, e.g. --params '{"limit": 20}'`,
    });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new OpenClawError("OC_ERR_USAGE", "--params must be a JSON object", {
      hint: `pass a JSON object, e.g. --params '{"limit": 20}'`,
    });
  }
  return value as Record<string, unknown>;
}

async function printHealth(options: { json?: boolean; timeout?: string }): Promise<number> {
  const timeoutMs = parseTimeout(options.timeout);
  const health = (await callGatewayMethod(
    "health",
    {},
    timeoutMs ? { timeoutMs } : {},
  )) as unknown as HealthPayload;
  if (options.json) {
    printJson(health);
  } else {
    const ready = health.agents.filter((agent) => agent.state === "ready").length;
    const lines = [`gateway: ${health.ok ? "ok" : "not ok"}, up ${formatDuration(health.uptimeMs)}`];
    lines.push(`agents: ${ready}/${health.agents.length} ready`);
    for (const agent of health.agents) lines.push(`  ${agent.id}: ${agent.state}`);
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  return health.ok ? 0 : 1;
}

/** What a probe's auth proved, in OpenClaw's capability words. */
function capabilityOf(scopes: readonly string[]): string {
  if (scopes.includes("operator.admin")) return "admin_capable";
  if (scopes.includes("operator.write")) return "write_capable";
  if (scopes.includes("operator.read")) return "read_only";
  return "connected_no_operator_scope";
}

/**
 * `gateway probe`: connect over the WebSocket protocol, then the read-scope calls OpenClaw's
 * probe makes (health, status, system-presence, config.get). There is one target here: the
 * local gateway of this state dir (no remote, SSH or discovery targets).
 */
async function probe(options: { json?: boolean; timeout?: string }): Promise<number> {
  const running = await requireRunningGateway();
  const timeoutMs = parseTimeout(options.timeout) ?? 3000;
  const startedAt = performance.now();
  const target = {
    id: "localLoopback",
    kind: "local",
    url: running.url.replace(/^http/, "ws"),
    connect: {
      ok: false,
      rpcOk: false,
      scopeLimited: false,
      latencyMs: 0,
      error: undefined as string | undefined,
    },
    auth: { role: undefined as string | undefined, scopes: [] as string[], capability: "unknown" },
    gateway: { version: undefined as string | undefined, pid: running.pid },
  };
  const failures: string[] = [];
  try {
    const client = await GatewayRpcClient.connect({ timeoutMs });
    target.connect.ok = true;
    target.connect.latencyMs = Math.round(performance.now() - startedAt);
    const auth = client.hello.auth as { role?: string; scopes?: string[] } | undefined;
    target.auth = {
      role: auth?.role,
      scopes: auth?.scopes ?? [],
      capability: capabilityOf(auth?.scopes ?? []),
    };
    target.gateway.version = (client.hello.server as { version?: string } | undefined)?.version;
    try {
      for (const method of ["health", "status", "system-presence", "config.get"]) {
        await client.request(method, {}, { timeoutMs }).catch((error: unknown) => {
          failures.push(`${method}: ${(error as Error).message}`);
          if ((error as OpenClawError).code === "OC_ERR_FORBIDDEN") target.connect.scopeLimited = true;
        });
      }
    } finally {
      client.close();
    }
    target.connect.rpcOk = failures.length === 0;
  } catch (error) {
    target.connect.error = (error as Error).message;
  }
  const degraded = target.connect.ok && !target.connect.rpcOk;
  if (options.json) {
    printJson({
      ok: target.connect.ok,
      degraded,
      capability: target.auth.capability,
      primaryTargetId: target.connect.ok ? target.id : null,
      warnings: target.connect.scopeLimited
        ? [{ code: "probe_scope_limited", message: failures.join("; "), targetIds: [target.id] }]
        : [],
      targets: [target],
    });
  } else {
    const lines = [`target ${target.id}: ${target.url} (pid ${running.pid})`];
    lines.push(
      target.connect.ok
        ? `  Connect: ok (${target.connect.latencyMs} ms), gateway ${target.gateway.version ?? "?"}`
        : `  Connect: failed: ${target.connect.error}`,
    );
    if (target.connect.ok) {
      lines.push(
        `  Capability: ${target.auth.capability.replaceAll("_", "-")} (${target.auth.scopes.join(", ")})`,
      );
      lines.push(failures.length === 0 ? "  Read probe: ok" : `  Read probe: failed: ${failures.join("; ")}`);
    }
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  // As in OpenClaw: non-zero only when no target is reachable.
  return target.connect.ok ? 0 : 1;
}

function healthCommand(command: Command, setExitCode: (code: number) => void): void {
  command
    .option("--json", "print JSON")
    .option("--timeout <ms>", "how long to wait for the answer")
    .action(async (options: { json?: boolean; timeout?: string }) => setExitCode(await printHealth(options)));
}

/** The top-level `openclaw health`, OpenClaw's alias of `gateway health`. */
export function registerHealthCommand(program: Command, setExitCode: (code: number) => void): void {
  healthCommand(
    program.command("health").description("the running gateway's health (as `gateway health`)"),
    setExitCode,
  );
}

/** `gateway health | probe | call`: the running gateway, over WebSocket; added to `gateway`. */
export function registerGatewayQueryCommands(program: Command, setExitCode: (code: number) => void): void {
  const gateway =
    program.commands.find((command) => command.name() === "gateway") ??
    program.command("gateway").description("run and control the gateway process");
  healthCommand(
    gateway.command("health").description("the running gateway's health, over WebSocket RPC"),
    setExitCode,
  );

  gateway
    .command("probe")
    .description("connect to the local gateway and try the read-scope RPC calls")
    .option("--json", "print JSON")
    .option("--timeout <ms>", "per-step timeout (default 3000)")
    .action(async (options: { json?: boolean; timeout?: string }) => setExitCode(await probe(options)));

  gateway
    .command("call <method>")
    .description("call one gateway RPC method and print its answer")
    .option("--params <json>", "params as a JSON object", "{}")
    .option("--timeout <ms>", "how long to wait for the answer (default 10000)")
    .option("--expect-final", "wait past an `accepted` answer for the final one (agent runs)")
    .option("--json", "print JSON (the answer is always printed as JSON)")
    .action(async (method: string, options: { params?: string; timeout?: string; expectFinal?: boolean }) => {
      const timeoutMs = parseTimeout(options.timeout);
      const payload = await callGatewayMethod(method, parseParams(options.params), {
        ...(timeoutMs ? { timeoutMs } : {}),
        ...(options.expectFinal ? { expectFinal: true } : {}),
      });
      printJson(payload);
    });
}
