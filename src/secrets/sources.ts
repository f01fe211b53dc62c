import type { ExternalSecretConfig } from "../config/schema.js";
import { readEnvSecret } from "./env-source.js";
import { readExecSecret } from "./exec-source.js";
import { readFileSecret, resolveSecretFilePath } from "./file-source.js";

export interface SecretSourceOptions {
  /** The gateway's environment: env secrets are read from it, exec commands inherit its allow-list. */
  env?: NodeJS.ProcessEnv;
  /** Directory of the config file: relative file paths and exec working directory. Default: cwd. */
  configDir?: string;
  /** Follow a file secret's symlink even when its target leaves the configured file's directory. */
  allowSymlinkOutside?: boolean;
  /** Variables an exec command inherits in addition to DEFAULT_EXEC_ENV_ALLOW_LIST. */
  execEnvAllowList?: readonly string[];
}

/**
 * Reads one declared secret. Throws an OpenClawError (`OC_ERR_SECRET_UNAVAILABLE` or
 * `OC_ERR_SECRET_INSECURE`) naming the secret and its source, with a hint; never the value.
 */
export async function readSecretSource(
  name: string,
  declaration: ExternalSecretConfig,
  options: SecretSourceOptions = {},
): Promise<string> {
  const env = options.env ?? process.env;
  const configDir = options.configDir ?? process.cwd();
  switch (declaration.source) {
    case "env":
      return readEnvSecret(name, declaration, env);
    case "file":
      return readFileSecret(name, declaration, {
        configDir,
        allowSymlinkOutside: options.allowSymlinkOutside === true,
      });
    case "exec":
      return readExecSecret(name, declaration, {
        env,
        configDir,
        envAllowList: options.execEnvAllowList ?? [],
      });
  }
}

/** What a status line shows for a source: the variable, the file or the program; never the value. */
export function describeSecretSource(declaration: ExternalSecretConfig, configDir: string): string {
  switch (declaration.source) {
    case "env":
      return declaration.key;
    case "file":
      return resolveSecretFilePath(declaration, configDir);
    case "exec":
      return declaration.command[0] ?? "";
  }
}
