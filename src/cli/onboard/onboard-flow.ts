import { randomBytes } from "node:crypto";
import { OpenClawError } from "../../errors.js";
import type { CliPaths } from "../cli-context.js";
import { startGatewayInBackground } from "../gateway-start.js";
import {
  apiKeySecretName,
  buildOnboardConfig,
  GATEWAY_CREDENTIAL_SECRETS,
  type OnboardSecret,
  renderOnboardConfig,
  secretPath,
} from "./onboard-config.js";
import { configExistsError, fileExists, writeConfigFile, writeSecretFile } from "./onboard-files.js";
import { KEY_ENV_VARIABLES, keyRequired, type OnboardPlan } from "./onboard-plan.js";

export interface OnboardAnswers {
  plan: OnboardPlan;
  /** The provider's key as given; written to its secret file, never printed or put in the config. */
  apiKey?: string;
  /** The gateway token or password as given (flags); a password is generated when absent. */
  gatewayCredential?: string;
}

export interface OnboardOutput {
  info(line: string): void;
}

/** What `onboard --json` prints: paths and the URL, never a secret's value. */
export interface OnboardSummary {
  configPath: string;
  backupPath: string | null;
  secrets: OnboardSecret[];
  gateway: { url: string; alreadyRunning: boolean } | null;
}

/**
 * Writes what the answers decided (secret files first, then the config that names them) and
 * starts the gateway the way `gateway start` does. Everything is checked before the first write,
 * so a refused run leaves the state dir and the config as they were.
 */
export async function applyOnboarding(
  paths: CliPaths,
  answers: OnboardAnswers,
  output: OnboardOutput,
): Promise<OnboardSummary> {
  const { plan } = answers;
  const apiKey = answers.apiKey?.trim() || undefined;
  if (!apiKey && keyRequired(plan.provider)) {
    throw new OpenClawError("OC_ERR_USAGE", `the ${plan.provider} provider needs an API key`, {
      hint: `pass --api-key-file <path> or --api-key-env <VAR> (default: $${KEY_ENV_VARIABLES[plan.provider]})`,
    });
  }
  const keySecret: OnboardSecret | undefined = apiKey
    ? { name: apiKeySecretName(plan), path: secretPath(paths.stateDir, apiKeySecretName(plan)) }
    : undefined;
  const gatewayCredential =
    answers.gatewayCredential ??
    (plan.auth === "password" ? randomBytes(24).toString("base64url") : undefined);
  const credentialName = GATEWAY_CREDENTIAL_SECRETS[plan.auth];
  const credentialSecret: OnboardSecret | undefined = gatewayCredential
    ? { name: credentialName, path: secretPath(paths.stateDir, credentialName) }
    : undefined;
  const text = renderOnboardConfig(
    buildOnboardConfig({
      plan,
      ...(keySecret ? { apiKey: keySecret } : {}),
      ...(credentialSecret ? { gatewayCredential: credentialSecret } : {}),
    }),
    paths.configPath,
  );
  if (!plan.force && (await fileExists(paths.configPath))) throw configExistsError(paths.configPath);

  if (keySecret && apiKey) {
    await writeSecretFile(keySecret.path, apiKey);
    output.info(`API key: saved to ${keySecret.path} (mode 0600), referenced as $secret "${keySecret.name}"`);
  }
  if (credentialSecret && gatewayCredential) await writeSecretFile(credentialSecret.path, gatewayCredential);
  const backup = await writeConfigFile(paths.configPath, text, { force: plan.force });
  output.info(`config: wrote ${paths.configPath}${backup ? ` (previous file kept as ${backup})` : ""}`);
  const summary: OnboardSummary = {
    configPath: paths.configPath,
    backupPath: backup ?? null,
    secrets: [keySecret, credentialSecret].filter((secret) => secret !== undefined),
    gateway: null,
  };

  const credential =
    plan.auth === "password" && credentialSecret
      ? `password: in ${credentialSecret.path} (clients send it as the bearer credential)`
      : "token: run `openclaw gateway token` (clients send it as Authorization: Bearer <token>)";
  if (!plan.start) {
    output.info("start the gateway with `openclaw gateway start`");
    output.info(credential);
    return summary;
  }
  const started = await startGatewayInBackground(paths, {
    onStale: (message) => output.info(`note: ${message}`),
  });
  for (const line of started.lines) output.info(line);
  if (started.alreadyRunning) {
    output.info("restart it to use the new config: openclaw gateway stop && openclaw gateway start");
  }
  output.info(credential);
  return { ...summary, gateway: { url: started.url, alreadyRunning: started.alreadyRunning } };
}
