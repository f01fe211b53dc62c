import { DEFAULT_PORT } from "../../config/index.js";
import { OpenClawError } from "../../errors.js";

export const PROVIDERS = ["dev", "anthropic", "openai", "openai-compatible"] as const;
export type OnboardProvider = (typeof PROVIDERS)[number];

export const BINDS = { loopback: "127.0.0.1", lan: "0.0.0.0" } as const;
export type OnboardBind = keyof typeof BINDS;

export type OnboardAuth = "token" | "password";

/** Everything onboarding decided, from flags or from the prompts; the API key itself excluded. */
export interface OnboardPlan {
  agentId: string;
  provider: OnboardProvider;
  /** Model id at the provider (no `provider/` prefix); absent for the dev model. */
  model?: string;
  baseUrl?: string;
  port: number;
  bind: OnboardBind;
  auth: OnboardAuth;
  start: boolean;
  force: boolean;
}

/** The models a newcomer gets when they name none (the ones our docs use). */
export const DEFAULT_MODELS: Partial<Record<OnboardProvider, string>> = {
  anthropic: "claude-sonnet-4-5",
  openai: "gpt-4o-mini",
};

/** The environment variable each provider's own tools read its key from. */
export const KEY_ENV_VARIABLES: Partial<Record<OnboardProvider, string>> = {
  anthropic: "ANTHROPIC_API_KEY",
  openai: "OPENAI_API_KEY",
  "openai-compatible": "CUSTOM_API_KEY",
};

/** The provider id in `models.providers`: a known type names itself; a custom endpoint is "custom". */
export function providerId(provider: OnboardProvider): string {
  return provider === "openai-compatible" ? "custom" : provider;
}

/** A key is required where the provider cannot answer without one; a local server may not need any. */
export function keyRequired(provider: OnboardProvider): boolean {
  return provider === "anthropic" || provider === "openai";
}

/** OpenClaw's `--auth-choice` values that name a provider this gateway has. */
const AUTH_CHOICES: Record<string, OnboardProvider> = {
  apiKey: "anthropic",
  "anthropic-api-key": "anthropic",
  "openai-api-key": "openai",
  "custom-api-key": "openai-compatible",
  skip: "dev",
};

function usage(message: string, hint: string): OpenClawError {
  return new OpenClawError("OC_ERR_USAGE", message, { hint });
}

export function parseProvider(value: string): OnboardProvider {
  if ((PROVIDERS as readonly string[]).includes(value)) return value as OnboardProvider;
  const fromChoice = AUTH_CHOICES[value];
  if (fromChoice) return fromChoice;
  throw usage(`unknown provider "${value}"`, `use --provider ${PROVIDERS.join("|")}`);
}

export function parsePortValue(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return DEFAULT_PORT;
  const port = Number(value);
  // 0 is what the schema allows too: a free port on every start, printed by `gateway start`.
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw usage(
      `--gateway-port must be an integer from 0 to 65535, not "${value}"`,
      "e.g. --gateway-port 18789",
    );
  }
  return port;
}

export function parseBindValue(value: string | undefined): OnboardBind {
  if (value === undefined) return "loopback";
  if (value in BINDS) return value as OnboardBind;
  throw usage(
    `--gateway-bind must be loopback or lan, not "${value}"`,
    "loopback: this host only; lan: every interface",
  );
}

export function parseAuthValue(value: string | undefined): OnboardAuth {
  if (value === undefined) return "token";
  if (value === "token" || value === "password") return value;
  throw usage(`--gateway-auth must be token or password, not "${value}"`, "token is the default");
}

/** Why a base URL cannot be used, or undefined: the prompt and the flag say the same thing. */
export function baseUrlProblem(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return undefined;
  } catch {
    // reported below
  }
  return `"${value}" is not an http:// or https:// URL (e.g. http://127.0.0.1:11434/v1)`;
}

/** Checks what depends on the provider: the model and the base URL of a custom endpoint. */
export function completePlan(plan: OnboardPlan): OnboardPlan {
  const model = plan.model ?? DEFAULT_MODELS[plan.provider];
  if (plan.provider === "openai-compatible") {
    if (!plan.baseUrl) {
      throw usage(
        "--provider openai-compatible needs the server's URL",
        "add --base-url http://<host>:<port>/v1 (vLLM, Ollama, LM Studio, llama.cpp)",
      );
    }
    if (!model)
      throw usage("--provider openai-compatible needs a model", "add --model <id as the server names it>");
  }
  if (plan.baseUrl) {
    const problem = baseUrlProblem(plan.baseUrl);
    if (problem)
      throw usage(`--base-url: ${problem}`, "give the API base URL, ending in /v1 for OpenAI-style servers");
  }
  if (plan.provider === "dev") return { ...plan, model: "echo" };
  return { ...plan, ...(model ? { model } : {}) };
}
