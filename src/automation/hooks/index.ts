export {
  HOOK_AUTH_RATE_LIMIT,
  type HookAttempt,
  HookAuthenticator,
  type HookAuthOptions,
  type HookAuthOutcome,
  presentedHookToken,
} from "./hook-auth.js";
export { readHookBody } from "./hook-body.js";
export {
  type HookAgentRequest,
  type HookDelivery,
  type HookWakeRequest,
  hookIdempotencyKey,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  parseHookAgentRequest,
  parseHookWakeRequest,
} from "./hook-request.js";
export {
  type HookAnswer,
  HookService,
  type HookServiceOptions,
  wakeTurnText,
  wrapHookMessage,
} from "./hook-service.js";
export { resolveHookAgent, resolveHookAgentSession, resolveHookWakeSession } from "./hook-session-policy.js";
export { MAX_PENDING_WAKES, type WakeOutcome, WakeQueue } from "./wake-queue.js";
