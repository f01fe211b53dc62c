import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import {
  APICallError,
  type LanguageModel,
  type LanguageModelUsage,
  type FinishReason as SdkFinishReason,
  StreamProviderError,
  streamText,
  type TextStreamPart,
  type ToolSet,
} from "ai";
import { OpenClawError } from "../errors.js";
import { effectiveBaseUrl } from "./base-urls.js";
import { toSdkPrompt, toSdkTools } from "./message-conversion.js";
import { type SilenceClock, SYSTEM_SILENCE_CLOCK } from "./silence-clock.js";
import type {
  FinishReason,
  ModelProvider,
  ModelRequest,
  ModelSpec,
  ModelStreamPart,
  Usage,
} from "./types.js";

/**
 * The adapter from our `ModelProvider` specification to the Vercel AI SDK. Keys and base URLs
 * are always passed explicitly: left unset, the SDK would read ANTHROPIC_API_KEY,
 * OPENAI_API_KEY, ANTHROPIC_BASE_URL or OPENAI_BASE_URL from the gateway's environment, which
 * would bypass externalSecrets and could send a key to a host nobody configured. In the gateway
 * the key is a placeholder and `fetch` is the egress path that swaps it for the real value.
 */

/** The fetch the SDK uses for every provider request. */
export type ProviderFetch = typeof globalThis.fetch;

const FINISH_REASONS: Record<SdkFinishReason, FinishReason> = {
  stop: "stop",
  length: "length",
  "content-filter": "content-filter",
  "tool-calls": "tool-calls",
  error: "error",
  interrupted: "other",
  other: "other",
};

function buildLanguageModel(spec: ModelSpec, fetch: ProviderFetch | undefined): LanguageModel {
  const { apiKey, headers } = spec;
  const baseURL = effectiveBaseUrl(spec.type, spec.baseUrl);
  if ((spec.type === "anthropic" || spec.type === "openai") && !apiKey) {
    throw new OpenClawError("OC_ERR_MODEL_CONFIG", `Provider "${spec.provider}" has no API key.`, {
      hint:
        `set models.providers.${spec.provider}.apiKey, preferably as { $secret: "<name>" } pointing at ` +
        "an entry in externalSecrets; the gateway never falls back to environment variables such as " +
        `${spec.type === "anthropic" ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY"}`,
      details: { path: `models.providers.${spec.provider}.apiKey` },
    });
  }
  switch (spec.type) {
    case "anthropic":
      return createAnthropic({ apiKey, baseURL, headers, fetch })(spec.model);
    case "openai":
      return createOpenAI({ apiKey, baseURL, headers, fetch }).chat(spec.model);
    case "openai-compatible":
      if (!baseURL) {
        throw new OpenClawError("OC_ERR_MODEL_CONFIG", `Provider "${spec.provider}" has no baseUrl.`, {
          hint: `set models.providers.${spec.provider}.baseUrl, e.g. "http://127.0.0.1:8000/v1"`,
          details: { path: `models.providers.${spec.provider}.baseUrl` },
        });
      }
      // includeUsage: without it the stream reports no token counts at all.
      return createOpenAICompatible({
        name: spec.provider,
        baseURL,
        apiKey,
        headers,
        fetch,
        includeUsage: true,
      })(spec.model);
    case "dev":
      throw new OpenClawError("OC_ERR_MODEL_CONFIG", "The dev model does not go through the AI SDK.", {
        hint: "build it with createModelProvider(spec), which returns the offline DevModel",
      });
  }
}

function toUsage(usage: LanguageModelUsage): Usage {
  const cached = usage.inputTokenDetails.cacheReadTokens;
  return {
    inputTokens: usage.inputTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    ...(cached !== undefined && { cachedInputTokens: cached }),
  };
}

/** Our part for an SDK stream part, undefined for parts we do not forward; throws on failure. */
function toStreamPart(part: TextStreamPart<ToolSet>): ModelStreamPart | undefined {
  switch (part.type) {
    case "text-delta":
      return part.text ? { type: "text-delta", text: part.text } : undefined;
    case "tool-call":
      // Invalid calls (unknown tool, unparsable input) are forwarded too: the runtime answers
      // them with a tool error, which lets the model correct itself.
      return { type: "tool-call", toolCallId: part.toolCallId, toolName: part.toolName, input: part.input };
    case "finish":
      return {
        type: "finish",
        finishReason: FINISH_REASONS[part.finishReason],
        usage: toUsage(part.totalUsage),
      };
    case "error":
      throw part.error;
    case "abort":
      throw new Error("aborted");
    default:
      return undefined;
  }
}

export class AiSdkModelProvider implements ModelProvider {
  readonly id: string;
  private readonly spec: ModelSpec;
  private readonly model: LanguageModel;
  private readonly clock: SilenceClock;

  constructor(spec: ModelSpec, fetch?: ProviderFetch, clock: SilenceClock = SYSTEM_SILENCE_CLOCK) {
    this.spec = spec;
    this.clock = clock;
    this.id = `${spec.provider}/${spec.model}`;
    this.model = buildLanguageModel(spec, fetch);
  }

  async *stream(request: ModelRequest): AsyncIterable<ModelStreamPart> {
    const { instructions, messages } = toSdkPrompt(request.system, request.messages);
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(request.signal?.reason);
    if (request.signal?.aborted) throw this.abortedError(request.signal);
    request.signal?.addEventListener("abort", forwardAbort, { once: true });

    // timeoutMs bounds the silence between stream parts, not the whole answer: a long but
    // steadily streaming answer is healthy, a provider that stops sending is not.
    let timedOut = false;
    let cancelTimer: (() => void) | undefined;
    const stopTimer = () => {
      cancelTimer?.();
      cancelTimer = undefined;
    };
    const armTimer = () => {
      if (this.spec.timeoutMs === undefined) return;
      stopTimer();
      cancelTimer = this.clock.setTimer(() => {
        timedOut = true;
        controller.abort();
      }, this.spec.timeoutMs);
    };

    let finished = false;
    try {
      armTimer();
      const result = streamText({
        model: this.model,
        instructions,
        messages,
        tools: toSdkTools(request.tools),
        maxOutputTokens: request.maxOutputTokens,
        abortSignal: controller.signal,
        // Retries are the agent runtime's decision (it knows whether the turn already streamed).
        maxRetries: 0,
        providerOptions: this.providerOptions(),
        // Errors are rethrown below as OpenClawErrors; the SDK's default would log them to stderr.
        onError: () => {},
      });
      for await (const part of result.stream) {
        const mapped = toStreamPart(part);
        if (!mapped) {
          armTimer();
          continue;
        }
        if (mapped.type === "finish") finished = true;
        // The clock stops while the consumer holds the part: a slow client is not a slow provider.
        stopTimer();
        yield mapped;
        // A consumer that aborted while holding a part gets no more, even if some are buffered.
        if (request.signal?.aborted) throw this.abortedError(request.signal);
        armTimer();
      }
      if (!finished) throw new Error("the stream ended without a finish event");
    } catch (error) {
      if (request.signal?.aborted) throw this.abortedError(request.signal);
      if (timedOut) {
        throw new OpenClawError(
          "OC_ERR_MODEL_PROVIDER",
          `${this.spec.provider} sent nothing for ${this.spec.timeoutMs} ms.`,
          {
            hint: `raise models.providers.${this.spec.provider}.timeoutMs if the model is slow to start`,
            details: { provider: this.spec.provider, model: this.spec.model, timeoutMs: this.spec.timeoutMs },
          },
        );
      }
      throw this.providerError(error);
    } finally {
      stopTimer();
      request.signal?.removeEventListener("abort", forwardAbort);
      // A consumer that stops early must not leave the HTTP request streaming in the background.
      if (!finished) controller.abort();
    }
  }

  private providerOptions() {
    if (this.spec.type !== "anthropic" || this.spec.thinkingBudgetTokens === undefined) return undefined;
    return { anthropic: { thinking: { type: "enabled", budgetTokens: this.spec.thinkingBudgetTokens } } };
  }

  private abortedError(signal: AbortSignal): OpenClawError {
    return new OpenClawError("OC_ERR_TURN_ABORTED", `The request to ${this.spec.provider} was aborted.`, {
      details: { provider: this.spec.provider, reason: String(signal.reason ?? "aborted") },
    });
  }

  /**
   * The SDK error is deliberately not kept as `cause`: it carries the provider's raw response
   * body, which may echo the key, and error causes end up in logs.
   */
  private providerError(error: unknown): OpenClawError {
    const name = this.spec.provider;
    const message = this.redact(error instanceof Error ? error.message : String(error));
    const status =
      APICallError.isInstance(error) || StreamProviderError.isInstance(error) ? error.statusCode : undefined;
    // `providerStatus`, never `status`: details.status would become this answer's own HTTP status,
    // and a provider's 401 sent on as ours tells the client its gateway token is wrong.
    const details = {
      provider: name,
      model: this.spec.model,
      ...(status !== undefined && { providerStatus: status }),
    };
    if (status === 401 || status === 403) {
      const source = this.spec.apiKeySource ?? `models.providers.${name}.apiKey`;
      return new OpenClawError(
        "OC_ERR_PROVIDER_AUTH",
        `${name} refused the gateway's key for it (${status}): ${message}`,
        {
          hint: `check ${source}: it is the key the gateway sends to ${name}, not the client's credential`,
          details,
        },
      );
    }
    if (status !== undefined) {
      return new OpenClawError("OC_ERR_MODEL_PROVIDER", `${name} answered ${status}: ${message}`, {
        details,
      });
    }
    if (APICallError.isInstance(error)) {
      return new OpenClawError("OC_ERR_MODEL_PROVIDER", `${name} could not be reached: ${message}`, {
        hint: `check that a server answers at ${this.displayBaseUrl()} (models.providers.${name}.baseUrl)`,
        details,
      });
    }
    return new OpenClawError("OC_ERR_MODEL_PROVIDER", `${name} failed: ${message}`, { details });
  }

  /** The base URL without any credentials embedded in it, for messages. */
  private displayBaseUrl(): string {
    const raw = effectiveBaseUrl(this.spec.type, this.spec.baseUrl) ?? "";
    try {
      const url = new URL(raw);
      url.username = "";
      url.password = "";
      return url.toString();
    } catch {
      return "the configured baseUrl";
    }
  }

  private redact(text: string): string {
    const key = this.spec.apiKey;
    return key ? text.split(key).join("[redacted]") : text;
  }
}
