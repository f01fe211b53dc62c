import { OpenClawError } from "../errors.js";

/**
 * Errors of the external-secrets layer. Messages name the secret and where it comes from (a
 * variable, a path, a command), never its value: these errors are logged, shown in `status`
 * answers and printed by the CLI.
 */

export function secretUnavailable(
  name: string,
  message: string,
  hint: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): OpenClawError {
  return new OpenClawError("OC_ERR_SECRET_UNAVAILABLE", `secret "${name}": ${message}`, {
    hint,
    details: { secret: name, ...details },
    cause,
  });
}

export function secretInsecure(
  name: string,
  message: string,
  hint: string,
  details: Record<string, unknown> = {},
): OpenClawError {
  return new OpenClawError("OC_ERR_SECRET_INSECURE", `secret "${name}": ${message}`, {
    hint,
    details: { secret: name, ...details },
  });
}

/** A name that is not declared in `externalSecrets`, listing the ones that are. */
export function unknownSecret(name: string, declared: readonly string[]): OpenClawError {
  const known = declared.length > 0 ? declared.map((entry) => `"${entry}"`).join(", ") : "none";
  return new OpenClawError("OC_ERR_SECRET_UNKNOWN", `secret "${name}" is not declared in externalSecrets`, {
    hint: `declare it under externalSecrets.${name} (source env, file or exec), or use one of the declared secrets: ${known}`,
    details: { secret: name, declared: [...declared] },
  });
}

/** Kibibytes for messages: "64 KiB". */
export function formatKibibytes(bytes: number): string {
  return `${Math.round(bytes / 1024)} KiB`;
}
