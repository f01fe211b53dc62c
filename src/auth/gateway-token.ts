import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Where token mode keeps the token it generated when none is configured. */
export function gatewayTokenPath(stateDir: string): string {
  return join(stateDir, "gateway-token");
}

export async function readGatewayToken(stateDir: string): Promise<string | undefined> {
  try {
    const token = (await readFile(gatewayTokenPath(stateDir), "utf8")).trim();
    return token || undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * The generated token: created once (256 random bits, owner-only file) so that a fresh gateway
 * is never open; `openclaw gateway token` prints it.
 */
export async function loadOrCreateGatewayToken(stateDir: string): Promise<string> {
  const existing = await readGatewayToken(stateDir);
  if (existing) return existing;
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString("base64url");
  try {
    await writeFile(gatewayTokenPath(stateDir), `${token}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      return (await readGatewayToken(stateDir)) ?? token;
    throw error;
  }
  await chmod(gatewayTokenPath(stateDir), 0o600);
  return token;
}
