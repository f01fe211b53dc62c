import { secretUnavailable } from "./secret-errors.js";

export interface EnvSecretDeclaration {
  source: "env";
  key: string;
}

/** Reads a variable of the gateway's environment. */
export function readEnvSecret(
  name: string,
  declaration: EnvSecretDeclaration,
  env: NodeJS.ProcessEnv,
): string {
  const value = env[declaration.key];
  if (value === undefined || value === "") {
    const state = value === undefined ? "is not set" : "is empty";
    throw secretUnavailable(
      name,
      `environment variable ${declaration.key} ${state} in the gateway's environment`,
      `set ${declaration.key} where the gateway is started (shell export, systemd Environment= or EnvironmentFile=), then restart the gateway`,
      { source: "env", variable: declaration.key },
    );
  }
  return value;
}
