import { OpenClawError } from "../../errors.js";
import type { ModelProvider, ModelRequest } from "../../models/types.js";
import { type ModelStepResult, runModelStep } from "./model-step.js";
import type { FallbackFailure, TurnEventSink } from "./turn-events.js";

/**
 * Model fallbacks (OpenClaw's `model: { primary, fallbacks }`): one model step tried on each
 * candidate in order until one answers. Only failures another provider might not share move on
 * (an overloaded or unreachable provider); a request the provider rejected as malformed, a
 * refused key or a cancelled turn would fail the same way, or should not be retried at all.
 */

export interface FallbackStepResult extends ModelStepResult {
  /** Index in the candidates of the model that answered. */
  answeredBy: number;
  /** The candidates that failed before it, in order. */
  fallbackFrom: FallbackFailure[];
}

/**
 * Provider statuses worth another provider: overload and outage (5xx), rate limits (429), the
 * provider's own request timeout (408), and a model the provider does not have (404, which
 * OpenClaw also fails over on). 400/422 mean the request itself is wrong, 401/403 the key.
 */
function isFallbackStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408 || status === 404;
}

/** Whether a failed model call is worth trying on the next candidate. */
export function isWorthFallingBack(error: unknown): boolean {
  if (!(error instanceof OpenClawError) || error.code !== "OC_ERR_MODEL_PROVIDER") return false;
  const status = error.details?.providerStatus;
  // Without a status the provider was unreachable (refused, reset), went silent past timeoutMs or
  // broke off its stream: all before any output reached the client (checked by the caller).
  return typeof status === "number" ? isFallbackStatus(status) : true;
}

function failureOf(model: ModelProvider, error: OpenClawError): FallbackFailure {
  const status = error.details?.providerStatus;
  return {
    model: model.id,
    code: error.code,
    ...(typeof status === "number" ? { providerStatus: status } : {}),
  };
}

export async function runModelStepWithFallbacks(
  candidates: readonly ModelProvider[],
  request: ModelRequest,
  emit: TurnEventSink,
): Promise<FallbackStepResult> {
  const fallbackFrom: FallbackFailure[] = [];
  for (let index = 0; ; index++) {
    const model = candidates[index] as ModelProvider;
    // Once a delta has reached the client it cannot be taken back: a second model would start its
    // answer over after the first one's fragment, and the client would see both glued together.
    let emitted = false;
    try {
      const result = await runModelStep(model, request, (event) => {
        emitted = true;
        emit(event);
      });
      return { ...result, answeredBy: index, fallbackFrom };
    } catch (error) {
      const last = index === candidates.length - 1;
      if (last || emitted || request.signal?.aborted || !isWorthFallingBack(error)) {
        throw fallbackFrom.length > 0 ? exhausted(error, fallbackFrom) : error;
      }
      fallbackFrom.push(failureOf(model, error as OpenClawError));
    }
  }
}

/** The last candidate's error, saying which ones failed before it. */
function exhausted(error: unknown, fallbackFrom: FallbackFailure[]): unknown {
  if (!(error instanceof OpenClawError)) return error;
  const tried = fallbackFrom.map((failure) => failure.model).join(", ");
  return new OpenClawError(error.code, `${error.message} (after ${tried} failed first)`, {
    ...(error.hint ? { hint: error.hint } : {}),
    details: { ...error.details, fallbackFrom },
  });
}
