import { type ErrorCode, OpenClawError } from "../../errors.js";

/** Errors of `openclaw sandbox build`: one code, with the hint saying what to fix. */
const IMAGE_BUILD_FAILED: ErrorCode = "OC_ERR_SANDBOX_IMAGE";

export function imageBuildFailed(
  message: string,
  hint: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): OpenClawError {
  return new OpenClawError(IMAGE_BUILD_FAILED, `sandbox image: ${message}`, {
    hint,
    details: { step: "sandbox-image-build", ...details },
    cause,
  });
}

/** The engine could not be asked anything: not running, wrong socket, or no permission on it. */
export function dockerUnreachable(cause: unknown): OpenClawError {
  const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
  const hint =
    errno === "EACCES"
      ? "run as root or as a member of the docker group, which may open /var/run/docker.sock"
      : "start the Docker engine (dockerd) and retry; set DOCKER_HOST if it listens elsewhere";
  const reason = cause instanceof Error ? cause.message : String(cause);
  return imageBuildFailed(`the Docker engine is unreachable (${reason})`, hint, { errno }, cause);
}

export function invalidImageTag(reference: string): OpenClawError {
  return new OpenClawError("OC_ERR_USAGE", `sandbox image: "${reference}" is not a valid image tag`, {
    hint: "use repository:tag in lowercase, e.g. openclaw-sandbox:0.1.0",
    details: { tag: reference },
  });
}
