import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../config/atomic-write.js";
import {
  checkGatewayProcess,
  ownProcessIdentity,
  type ProcessIdentity,
  type ProcessVerdict,
} from "./process-identity.js";

/** What a running gateway tells the CLI about itself, in `<stateDir>/gateway.json`. */
export interface GatewayRuntimeState {
  pid: number;
  url: string;
  host: string;
  port: number;
  configPath: string;
  logPath?: string;
  startedAt: number;
  /** When the server started accepting connections (epoch ms). */
  listeningAt: number;
  version: string;
  /** The certificate the gateway serves, for the CLI on this host to trust (TLS only). */
  tlsCertPath?: string;
  /** Which process `pid` was when written (Linux): a reused pid is told apart by it. */
  process?: ProcessIdentity;
  /** Digest of the generated token the gateway accepts (token mode without a configured token). */
  tokenFingerprint?: string;
}

export type RuntimeStateReading =
  | { kind: "missing" }
  /** Empty, torn, or not a gateway's state (say, another program's file): it describes nobody. */
  | { kind: "invalid"; reason: string }
  | { kind: "valid"; state: GatewayRuntimeState };

export function runtimeStatePath(stateDir: string): string {
  return join(stateDir, "gateway.json");
}

/**
 * Written atomically and fsynced: the CLI reads it while the gateway may be killed writing it.
 * The writer's process identity is added here, so that no caller can leave it out.
 */
export async function writeRuntimeState(stateDir: string, state: GatewayRuntimeState): Promise<void> {
  const identity = state.pid === process.pid ? ownProcessIdentity() : undefined;
  const content = { ...state, ...(identity && !state.process ? { process: identity } : {}) };
  await writeFileAtomic(runtimeStatePath(stateDir), `${JSON.stringify(content, null, 2)}\n`, 0o600);
}

export async function inspectRuntimeState(stateDir: string): Promise<RuntimeStateReading> {
  let text: string;
  try {
    text = await readFile(runtimeStatePath(stateDir), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { kind: "missing" };
    return { kind: "invalid", reason: `it cannot be read (${code ?? String(error)})` };
  }
  if (text.replace(/\0/g, "").trim() === "") return { kind: "invalid", reason: "it is empty" };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: "invalid", reason: "it is not JSON (a write cut short, or another program's file)" };
  }
  // zod is loaded only once there is a file to check: `gateway status`, `agents list` and the
  // other commands that look for a gateway first stay quick when none runs (bench/cli).
  const { runtimeStateSchema } = await import("./runtime-state-schema.js");
  const parsed = runtimeStateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "(root)";
    return {
      kind: "invalid",
      reason: `it is not a gateway's state (${where}: ${issue?.message ?? "unexpected"})`,
    };
  }
  return { kind: "valid", state: parsed.data as GatewayRuntimeState };
}

export async function readRuntimeState(stateDir: string): Promise<GatewayRuntimeState | undefined> {
  const reading = await inspectRuntimeState(stateDir);
  return reading.kind === "valid" ? reading.state : undefined;
}

/** Removes the state file only if it still describes this process (a newer gateway may own it). */
export async function removeRuntimeState(stateDir: string, pid = process.pid): Promise<void> {
  const current = await inspectRuntimeState(stateDir);
  if (current.kind === "valid" && current.state.pid !== pid) return;
  await rm(runtimeStatePath(stateDir), { force: true });
}

/** Whether the state file's pid is still the gateway that wrote it (see checkGatewayProcess). */
export function verifyRuntimeState(state: GatewayRuntimeState): ProcessVerdict {
  return checkGatewayProcess(state.pid, state.process);
}
