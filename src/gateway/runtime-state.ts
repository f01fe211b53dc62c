import { readFileSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

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
}

export function runtimeStatePath(stateDir: string): string {
  return join(stateDir, "gateway.json");
}

export async function writeRuntimeState(stateDir: string, state: GatewayRuntimeState): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const target = runtimeStatePath(stateDir);
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, target);
}

export async function readRuntimeState(stateDir: string): Promise<GatewayRuntimeState | undefined> {
  try {
    return JSON.parse(await readFile(runtimeStatePath(stateDir), "utf8")) as GatewayRuntimeState;
  } catch {
    return undefined;
  }
}

/** Removes the state file only if it still describes this process (a newer gateway may own it). */
export async function removeRuntimeState(stateDir: string, pid = process.pid): Promise<void> {
  const current = await readRuntimeState(stateDir);
  if (current && current.pid !== pid) return;
  await rm(runtimeStatePath(stateDir), { force: true });
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // An exited process whose parent has not reaped it yet still answers kill(0) on Linux.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}
