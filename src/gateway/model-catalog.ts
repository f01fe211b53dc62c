import type { AgentSupervisor } from "../agents/index.js";
import type { OpenClawConfig } from "../config/index.js";
import { toOpenClawError } from "../errors.js";
import { type CredentialReader, effectiveBaseUrl, resolveModelSpec, splitModelId } from "../models/index.js";
import { type ProviderModelsAnswer, probeProviderModels } from "../models/provider-models-probe.js";

/** The built-in offline provider: no endpoint, one model. */
const DEV_PROVIDER = "dev";
const DEV_MODELS = ["echo"];
const DEFAULT_PROBE_TIMEOUT_MS = 5000;

export interface ModelCatalogDeps {
  config(): OpenClawConfig;
  agents: Pick<AgentSupervisor, "list">;
  readCredential: CredentialReader;
  /** The egress fetch: the only way a provider credential leaves the gateway. */
  fetch: typeof globalThis.fetch;
}

export interface CatalogAgent {
  id: string;
  model: string;
  provider: string | undefined;
  builtIn: boolean;
  state: string;
}

export interface CatalogProvider {
  id: string;
  type: string | undefined;
  baseUrl: string | undefined;
  builtIn: boolean;
  /** Under models.providers (a built-in provider need not be). */
  configured: boolean;
  agents: string[];
  /** The models the agents use of it. */
  models: string[];
  /** Why it cannot be used as configured (no such provider, no baseUrl, a missing secret). */
  error?: { code: string; message: string; hint?: string };
}

function providerOf(model: string): string | undefined {
  try {
    return splitModelId(model).provider;
  } catch {
    return undefined;
  }
}

/** What the running gateway is configured with: each agent's model and each provider. */
export function listModelCatalog(deps: ModelCatalogDeps): {
  agents: CatalogAgent[];
  providers: CatalogProvider[];
} {
  const configured = deps.config().models.providers;
  const agents = deps.agents.list().map((agent): CatalogAgent => {
    const provider = providerOf(agent.model);
    return { id: agent.id, model: agent.model, provider, builtIn: agent.usesDevModel, state: agent.state };
  });
  const ids = new Set<string>([...Object.keys(configured), DEV_PROVIDER]);
  for (const agent of agents) if (agent.provider) ids.add(agent.provider);
  const providers = [...ids].map((id): CatalogProvider => {
    const users = agents.filter((agent) => agent.provider === id);
    const models = [...new Set(users.map((agent) => agent.model))];
    const isConfigured = Object.hasOwn(configured, id);
    const entry = { id, configured: isConfigured, agents: users.map((agent) => agent.id), models };
    try {
      // The same resolution the agents' models get, so that the catalog cannot disagree with them.
      const spec = resolveModelSpec(models[0] ?? `${id}/-`, configured, deps.readCredential);
      return {
        ...entry,
        type: spec.type,
        baseUrl: effectiveBaseUrl(spec.type, spec.baseUrl),
        builtIn: spec.type === "dev",
        ...(spec.type === "dev" && models.length === 0 ? { models: [] } : {}),
      };
    } catch (error) {
      const failure = toOpenClawError(error);
      return {
        ...entry,
        type: configured[id]?.type,
        baseUrl: configured[id]?.baseUrl,
        builtIn: false,
        error: {
          code: failure.code,
          message: failure.message,
          ...(failure.hint ? { hint: failure.hint } : {}),
        },
      };
    }
  });
  return { agents, providers };
}

export type ProviderStatus = CatalogProvider & {
  /** What the provider's `/models` says it serves (the built-in dev provider: its one model). */
  available?: string[];
  ok: boolean;
  latencyMs?: number;
  status?: number;
};

/** Each provider asked, in parallel, what its `/models` endpoint lists. */
export async function probeModelCatalog(
  deps: ModelCatalogDeps,
  timeoutMs = DEFAULT_PROBE_TIMEOUT_MS,
): Promise<ProviderStatus[]> {
  const configured = deps.config().models.providers;
  const { providers } = listModelCatalog(deps);
  return Promise.all(
    providers.map(async (provider): Promise<ProviderStatus> => {
      if (provider.error) return { ...provider, ok: false };
      if (provider.builtIn) return { ...provider, ok: true, available: DEV_MODELS };
      const spec = resolveModelSpec(
        provider.models[0] ?? `${provider.id}/-`,
        configured,
        deps.readCredential,
      );
      const answer: ProviderModelsAnswer = await probeProviderModels(
        spec,
        `models.providers.${provider.id}`,
        deps.fetch,
        timeoutMs,
      );
      if (answer.ok) return { ...provider, ok: true, available: answer.models, latencyMs: answer.latencyMs };
      return {
        ...provider,
        ok: false,
        ...(answer.status !== undefined ? { status: answer.status } : {}),
        error: { code: answer.code, message: answer.error, hint: answer.hint },
      };
    }),
  );
}
