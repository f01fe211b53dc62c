import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { join, posix } from "node:path";
import { type ParsedBind, parseBind } from "../config/bind-rules.js";
import type { DockerSandboxConfig } from "../config/index.js";
import { OpenClawError } from "../errors.js";
import { VERSION } from "../version.js";

export const SANDBOX_IMAGE_REPO = "openclaw-sandbox";
export const DEFAULT_SANDBOX_IMAGE = `${SANDBOX_IMAGE_REPO}:${VERSION}`;
/** Where the agent's workspace appears inside its container. */
export const CONTAINER_WORKSPACE = "/workspace";

/** A sandbox's settings with every default applied: what a container is created from. */
export interface SandboxSettings {
  image: string;
  binds: ParsedBind[];
  network: "none" | "bridge";
  memoryMb: number;
  cpus: number;
  pidsLimit: number;
  readOnlyRoot: boolean;
  user: string;
  env: Record<string, string | { $secret: string }>;
  scope: "agent" | "session";
  allowedRoots: string[];
}

/** The default non-root user: 1000:1000, or the gateway's own ids when it is not root. */
export function defaultUser(): string {
  const uid = process.getuid?.() ?? 1000;
  return uid === 0 ? "1000:1000" : `${uid}:${process.getgid?.() ?? uid}`;
}

export function resolveSandboxSettings(
  docker: DockerSandboxConfig | undefined,
  stateDir: string,
): SandboxSettings {
  const user = docker?.user ?? defaultUser();
  if (user.split(":")[0] === "0" || user.split(":")[0] === "root") {
    throw new OpenClawError("OC_ERR_SANDBOX_CONFIG", "sandbox.docker.user may not be root", {
      hint: 'use a non-root uid:gid such as "1000:1000"',
    });
  }
  return {
    image: docker?.image ?? DEFAULT_SANDBOX_IMAGE,
    binds: (docker?.binds ?? []).map((bind) => parseBind(bind)).filter((bind) => bind !== undefined),
    network: docker?.network ?? "none",
    memoryMb: docker?.memoryMb ?? 512,
    cpus: docker?.cpus ?? 1,
    pidsLimit: docker?.pidsLimit ?? 256,
    readOnlyRoot: docker?.readOnlyRoot ?? true,
    user,
    env: docker?.env ?? {},
    scope: docker?.scope ?? "agent",
    allowedRoots: (
      docker?.allowedRoots ?? [join(stateDir, "workspace"), join(homedir(), ".openclaw", "workspace")]
    ).map((root) => posix.normalize(root)),
  };
}

/** Identifies a container's configuration: a container made from other settings is replaced. */
export function settingsFingerprint(settings: SandboxSettings, workspaceRoot: string): string {
  const { env, ...rest } = settings;
  // Env values may be secrets: only their names and sources enter the fingerprint label.
  const envShape = Object.fromEntries(
    Object.entries(env).map(([name, value]) => [
      name,
      typeof value === "string" ? createHash("sha256").update(value).digest("hex") : value,
    ]),
  );
  return createHash("sha256")
    .update(JSON.stringify({ ...rest, envShape, workspaceRoot }))
    .digest("hex")
    .slice(0, 16);
}
