import type { FastifyReply, FastifyRequest } from "fastify";
import { OpenClawError, retryAfterMsOf, toOpenClawError } from "../../errors.js";

const OPENAI_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "invalid_request_error",
  405: "invalid_request_error",
  413: "invalid_request_error",
  415: "invalid_request_error",
  429: "rate_limit_error",
};

const INVOKE_TYPES: Record<number, string> = {
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  429: "rate_limited",
};

/** Converts Fastify's own errors (bad JSON, oversize body, wrong content type) into ours. */
export function normalizeHttpError(error: unknown): OpenClawError {
  if (error instanceof OpenClawError) return error;
  const fastifyError = error as { code?: string; statusCode?: number; message?: string };
  switch (fastifyError.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new OpenClawError("OC_ERR_BODY_TOO_LARGE", "request body is larger than gateway.maxBodyBytes", {
        hint: "send a smaller body, or raise gateway.maxBodyBytes",
      });
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new OpenClawError("OC_ERR_BAD_REQUEST", "unsupported Content-Type", {
        hint: "send Content-Type: application/json",
        details: { status: 415 },
      });
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new OpenClawError(
        "OC_ERR_BAD_REQUEST",
        `request body is not valid JSON: ${fastifyError.message}`,
      );
  }
  if (error instanceof SyntaxError || fastifyError.statusCode === 400) {
    return new OpenClawError("OC_ERR_BAD_REQUEST", `bad request: ${fastifyError.message ?? "invalid body"}`);
  }
  return toOpenClawError(error);
}

export function httpStatusOf(error: OpenClawError): number {
  const override = error.details?.status;
  return typeof override === "number" ? override : error.spec.status;
}

/**
 * One error body for every route. The OpenAI-compatible routes answer in OpenAI's shape so that
 * its SDKs raise their own typed errors; the others in ours (code, message, what to do).
 */
export function errorBody(error: OpenClawError, url: string) {
  const status = httpStatusOf(error);
  if (url.startsWith("/v1/")) {
    const openAiCode =
      error.code === "OC_ERR_UNKNOWN_AGENT"
        ? "model_not_found"
        : error.code.replace(/^OC_ERR_/, "").toLowerCase();
    return {
      error: {
        message: error.hint ? `${error.message} (${error.hint})` : error.message,
        type: OPENAI_TYPES[status] ?? (status >= 500 ? "server_error" : "invalid_request_error"),
        param:
          error.code === "OC_ERR_UNKNOWN_AGENT"
            ? "model"
            : ((error.details?.param as string | undefined) ?? null),
        code: openAiCode,
        // The auth boundary's stable refusal reason (missing_credentials, invalid_token, ...).
        ...(typeof error.details?.reason === "string" ? { reason: error.details.reason } : {}),
      },
    };
  }
  const reason = error.details?.reason;
  // OpenClaw's tool invocation endpoint answers `{ ok, result }` or `{ ok: false, error }`.
  if (url === "/tools/invoke" || url.startsWith("/tools/invoke?")) {
    return {
      ok: false,
      error: {
        type: INVOKE_TYPES[status] ?? (status >= 500 ? "tool_error" : "invalid_request"),
        code: error.code,
        message: error.message,
        ...(error.hint ? { hint: error.hint } : {}),
        ...(typeof reason === "string" ? { reason } : {}),
      },
    };
  }
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
      ...(typeof reason === "string" ? { reason } : {}),
    },
  };
}

export function sendHttpError(reply: FastifyReply, request: FastifyRequest, error: unknown): FastifyReply {
  const failure = normalizeHttpError(error);
  const status = httpStatusOf(failure);
  if (status >= 500 && failure.code === "OC_ERR_INTERNAL") {
    request.log.error({ err: error, url: request.url }, "unhandled error");
  }
  const retryAfterMs = retryAfterMsOf(failure);
  if (retryAfterMs !== undefined && (status === 503 || status === 429 || status === 507))
    reply.header("Retry-After", String(Math.ceil(retryAfterMs / 1000)));
  return reply.code(status).type("application/json").send(errorBody(failure, request.url));
}
