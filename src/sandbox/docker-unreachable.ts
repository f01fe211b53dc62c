import { OpenClawError } from "../errors.js";

/** What a socket refusal looks like from dockerode: the engine is not there, not a Docker error. */
const CONNECTION_CODES = new Set([
  "ENOENT",
  "ECONNREFUSED",
  "EACCES",
  "EPERM",
  "ENOTFOUND",
  "ETIMEDOUT",
  "ECONNRESET",
]);

export function isDockerConnectionError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && CONNECTION_CODES.has(code);
}

/** Where dockerode connects: DOCKER_HOST when set, else the default socket. */
export function dockerEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST?.trim() || "unix:///var/run/docker.sock";
}

/**
 * `connect ENOENT /var/run/docker.sock` says nothing to someone who has not installed Docker:
 * the error names the engine, where it was looked for, and what to do (which differs when the
 * socket is there but this user may not use it).
 */
export function dockerUnreachable(error: unknown, env: NodeJS.ProcessEnv = process.env): OpenClawError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const denied = code === "EACCES" || code === "EPERM";
  return new OpenClawError(
    "OC_ERR_SANDBOX_UNAVAILABLE",
    `the Docker engine is not reachable at ${dockerEndpoint(env)}: ${(error as Error).message}`,
    {
      hint: denied
        ? "this user may not use the Docker socket: add it to the docker group (sudo usermod -aG docker $USER, then log in again), or point DOCKER_HOST at an engine it may use"
        : "install and start Docker (systemctl start docker, or dockerd), or point DOCKER_HOST at a running engine; agents without sandbox.docker.enabled do not need it",
      details: { endpoint: dockerEndpoint(env), ...(code ? { errno: code } : {}) },
      cause: error,
    },
  );
}
