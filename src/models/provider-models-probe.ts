import type { ErrorCode } from "../errors.js";
import { effectiveBaseUrl } from "./base-urls.js";
import type { ModelSpec } from "./types.js";

/** The version header the Anthropic API requires on every request. */
const ANTHROPIC_VERSION = "2023-06-01";

export type ProviderModelsAnswer =
  | { ok: true; url: string; models: string[]; latencyMs: number }
  | { ok: false; url: string | undefined; code: ErrorCode; error: string; hint: string; status?: number };

/** The provider's own auth headers, as its SDK would send them (the key may be a placeholder). */
function authHeaders(spec: ModelSpec): Record<string, string> {
  const headers: Record<string, string> = { ...(spec.headers ?? {}) };
  if (spec.type === "anthropic") {
    headers["anthropic-version"] = ANTHROPIC_VERSION;
    if (spec.apiKey) headers["x-api-key"] = spec.apiKey;
  } else if (spec.apiKey) {
    headers.authorization = `Bearer ${spec.apiKey}`;
  }
  return headers;
}

function errorText(body: unknown): string | undefined {
  const error = (body as { error?: { message?: unknown } | string } | undefined)?.error;
  if (typeof error === "string") return error;
  return typeof error?.message === "string" ? error.message : undefined;
}

/**
 * Asks a provider what it serves: `GET <baseUrl>/models`, which OpenAI, Anthropic and the
 * openai-compatible servers (vLLM, Ollama, LM Studio) all answer with `{ data: [{ id }] }`.
 * Every failure is an answer with its fix, never a throw: one provider down must not hide the
 * others. `fetch` is the gateway's egress fetch, which puts the real key in place of its
 * placeholder for this provider's origin only.
 */
export async function probeProviderModels(
  spec: ModelSpec,
  providerPath: string,
  fetch: typeof globalThis.fetch,
  timeoutMs: number,
): Promise<ProviderModelsAnswer> {
  const baseUrl = effectiveBaseUrl(spec.type, spec.baseUrl);
  if (!baseUrl) {
    return {
      ok: false,
      url: undefined,
      code: "OC_ERR_MODEL_CONFIG",
      error: "no base URL to ask",
      hint: `set ${providerPath}.baseUrl`,
    };
  }
  const url = `${baseUrl.replace(/\/+$/, "")}/models`;
  const startedAt = performance.now();
  let response: Response;
  try {
    response = await fetch(url, { headers: authHeaders(spec), signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const failure = error as Error & { cause?: { code?: string; message?: string } };
    const timedOut = failure.name === "TimeoutError" || failure.name === "AbortError";
    return {
      ok: false,
      url,
      code: "OC_ERR_MODEL_PROVIDER",
      error: timedOut
        ? `no answer from ${url} within ${timeoutMs} ms`
        : `cannot reach ${url}: ${failure.cause?.code ?? failure.cause?.message ?? failure.message}`,
      hint: `check that the provider runs and that ${providerPath}.baseUrl points at it`,
    };
  }
  const body = (await response.json().catch(() => undefined)) as { data?: { id?: unknown }[] } | undefined;
  if (response.status === 401 || response.status === 403) {
    return {
      ok: false,
      url,
      status: response.status,
      code: "OC_ERR_PROVIDER_AUTH",
      error: `the provider refused the credential (HTTP ${response.status}${errorText(body) ? `: ${errorText(body)}` : ""})`,
      hint: `check ${providerPath}.apiKey (\`openclaw secrets list\` shows where it comes from)`,
    };
  }
  if (!response.ok || !Array.isArray(body?.data)) {
    return {
      ok: false,
      url,
      status: response.status,
      code: "OC_ERR_MODEL_PROVIDER",
      error: response.ok
        ? `${url} answered without a model list`
        : `HTTP ${response.status}${errorText(body) ? `: ${errorText(body)}` : ""}`,
      hint: `check ${providerPath}.baseUrl: it should end where the API's /models lives (often /v1)`,
    };
  }
  const models = body.data.flatMap((model) => (typeof model.id === "string" ? [model.id] : []));
  return { ok: true, url, models, latencyMs: Math.round(performance.now() - startedAt) };
}
