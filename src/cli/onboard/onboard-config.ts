import { join } from "node:path";
import { parseConfigText } from "../../config/index.js";
import { BINDS, type OnboardPlan, providerId } from "./onboard-plan.js";

/** A secret onboarding writes to a file of its own, and how the config refers to it. */
export interface OnboardSecret {
  /** Its name in `externalSecrets`. */
  name: string;
  path: string;
}

/** Where onboarding keeps the secrets it writes: the state dir, never the config. */
export function secretPath(stateDir: string, name: string): string {
  return join(stateDir, "secrets", name);
}

export function apiKeySecretName(plan: OnboardPlan): string {
  return `${providerId(plan.provider)}-api-key`;
}

/** The secret names of the gateway's own credential, by auth mode. */
export const GATEWAY_CREDENTIAL_SECRETS = { password: "gateway-password", token: "gateway-token" } as const;

export interface OnboardConfigInput {
  plan: OnboardPlan;
  /** Present when a key was given: the provider's apiKey refers to it. */
  apiKey?: OnboardSecret;
  /** The gateway's password (always in password mode) or token (when one was given). */
  gatewayCredential?: OnboardSecret;
}

/**
 * The openclaw.json onboarding writes, in the form our schema defines: credentials only as
 * `{ "$secret": name }` declared in `externalSecrets` (file source), never as values.
 */
export function buildOnboardConfig(input: OnboardConfigInput): Record<string, unknown> {
  const { plan } = input;
  const externalSecrets: Record<string, unknown> = {};
  for (const secret of [input.apiKey, input.gatewayCredential]) {
    if (secret) externalSecrets[secret.name] = { source: "file", path: secret.path };
  }
  const credential = input.gatewayCredential;
  // Without a token the gateway generates one into the state dir, and `gateway token` prints it.
  const auth: Record<string, unknown> = { mode: plan.auth };
  if (credential) auth[plan.auth] = { $secret: credential.name };
  const config: Record<string, unknown> = {
    gateway: { host: BINDS[plan.bind], port: plan.port, auth },
    externalSecrets,
    agents: { [plan.agentId]: { model: `${providerId(plan.provider)}/${plan.model}` } },
  };
  if (plan.provider !== "dev") {
    const provider: Record<string, unknown> = { type: plan.provider };
    if (plan.baseUrl) provider.baseUrl = plan.baseUrl;
    if (input.apiKey) provider.apiKey = { $secret: input.apiKey.name };
    config.models = { providers: { [providerId(plan.provider)]: provider } };
  }
  return config;
}

/**
 * The file's text, validated with the schema the gateway loads it with: onboarding never
 * writes a file that `gateway start` would refuse. Throws OC_ERR_CONFIG_INVALID otherwise.
 */
export function renderOnboardConfig(config: Record<string, unknown>, configPath: string): string {
  const text = `${JSON.stringify(config, null, 2)}\n`;
  parseConfigText(text, configPath);
  return text;
}
