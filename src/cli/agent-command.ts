import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import { OpenClawError } from "../errors.js";
import { agentIdOfSessionKey } from "../sessions/session-key.js";
import { GatewayRpcClient } from "./gateway-rpc.js";
import { printJson } from "./output.js";

/** A turn waits for the model; the gateway's own turn timeout ends it well before this. */
const DEFAULT_TURN_TIMEOUT_MS = 600_000;

interface AgentOptions {
  agent?: string;
  message?: string;
  sessionKey?: string;
  session?: string;
  json?: boolean;
  timeout?: string;
}

interface AgentFinal {
  runId: string;
  status: string;
  result?: {
    payloads?: { text?: string }[];
    meta?: {
      agentMeta?: { sessionKey?: string; agentId?: string; usage?: { input?: number; output?: number } };
    };
  };
}

/**
 * OpenClaw's rules for `--session-key`: `agent:<id>:…` names its agent (which `--agent` must
 * match), a bare key is scoped to `--agent` (`incident-42` → `agent:ops:incident-42`).
 */
export function resolveAgentSession(agent: string | undefined, key: string | undefined) {
  if (key !== undefined && key.trim() === "") {
    throw new OpenClawError("OC_ERR_USAGE", "--session-key must not be blank");
  }
  const named = key === undefined ? undefined : agentIdOfSessionKey(key);
  if (named && agent && named !== agent) {
    throw new OpenClawError(
      "OC_ERR_USAGE",
      `--session-key ${key} belongs to agent "${named}", not "${agent}"`,
      {
        hint: `drop --agent, or pass --session-key agent:${agent}:<key>`,
      },
    );
  }
  const agentId = agent ?? named;
  if (!agentId) {
    throw new OpenClawError("OC_ERR_USAGE", "say which agent runs the turn", {
      hint: "pass --agent <id> (see `openclaw agents list`), or a --session-key of the form agent:<id>:<key>",
    });
  }
  const sessionKey = key === undefined ? undefined : named ? key : `agent:${agentId}:${key}`;
  return { agentId, ...(sessionKey ? { sessionKey } : {}) };
}

/** What a shell reports for a process ended by the signal (128 + its number). */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Runs the turn and waits for its final answer. Ctrl-C (or SIGTERM) after the gateway accepted
 * the run aborts it there with `chat.abort`, as OpenClaw's CLI does: otherwise the turn would go
 * on (and hold its session) until the gateway's turn timeout, with nobody waiting for it.
 */
async function runTurn(params: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown>> {
  const client = await GatewayRpcClient.connect();
  let accepted: { runId?: unknown; sessionKey?: unknown } | undefined;
  const interrupt = (signal: keyof typeof SIGNAL_EXIT_CODES) => {
    const exit = () => process.exit(SIGNAL_EXIT_CODES[signal]);
    if (!accepted) exit();
    process.stderr.write(`openclaw: ${signal}: aborting run ${String(accepted?.runId)}\n`);
    client
      .request(
        "chat.abort",
        { sessionKey: accepted?.sessionKey, runId: accepted?.runId },
        { timeoutMs: 5000 },
      )
      .then(exit, (error: unknown) => {
        process.stderr.write(`openclaw: the abort failed: ${(error as Error).message}\n`);
        exit();
      });
  };
  const onInterrupt = () => interrupt("SIGINT");
  const onTerminate = () => interrupt("SIGTERM");
  process.once("SIGINT", onInterrupt);
  process.once("SIGTERM", onTerminate);
  try {
    return await client.request("agent", params, {
      expectFinal: true,
      timeoutMs,
      onAccepted: (payload) => {
        accepted = payload;
      },
    });
  } finally {
    process.off("SIGINT", onInterrupt);
    process.off("SIGTERM", onTerminate);
    client.close();
  }
}

/** `openclaw agent --agent <id> --message <text>`: one turn through the running gateway. */
export function registerAgentCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("agent")
    .description("run one agent turn through the running gateway and print the reply")
    .option("--agent <id>", "the agent that answers")
    .option("-m, --message <text>", "the message")
    .option("--session-key <key>", "the session (a bare key is scoped to --agent; default: its main session)")
    .option("--session <key>", "short for --session-key")
    .option("--timeout <ms>", "how long to wait for the reply")
    .option("--json", "print JSON: runId, sessionKey, agentId, status, text, usage")
    .action(async (options: AgentOptions) => {
      if (options.message === undefined || options.message.trim() === "") {
        throw new OpenClawError("OC_ERR_USAGE", "--message is required", {
          hint: 'openclaw agent --agent main --message "hello"',
        });
      }
      const { agentId, sessionKey } = resolveAgentSession(
        options.agent,
        options.sessionKey ?? options.session,
      );
      const timeoutMs = options.timeout === undefined ? DEFAULT_TURN_TIMEOUT_MS : Number(options.timeout);
      if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
        throw new OpenClawError("OC_ERR_USAGE", `--timeout must be a positive number of milliseconds`);
      }
      const final = (await runTurn(
        {
          agentId,
          message: options.message,
          idempotencyKey: randomUUID(),
          ...(sessionKey ? { sessionKey } : {}),
        },
        timeoutMs,
      )) as unknown as AgentFinal;
      const meta = final.result?.meta?.agentMeta;
      const text = (final.result?.payloads ?? []).map((payload) => payload.text ?? "").join("\n");
      if (options.json) {
        printJson({
          runId: final.runId,
          status: final.status,
          agentId: meta?.agentId ?? agentId,
          sessionKey: meta?.sessionKey ?? sessionKey,
          text,
          ...(meta?.usage ? { usage: meta.usage } : {}),
        });
      } else if (final.status === "ok") {
        process.stdout.write(`${text}\n`);
      }
      if (final.status !== "ok") {
        process.stderr.write(`openclaw: the turn ended ${final.status} (run ${final.runId})\n`);
        setExitCode(1);
      }
    });
}
