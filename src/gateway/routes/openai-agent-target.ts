import { validateHeaderValue } from "node:http";
import type { FastifyRequest } from "fastify";
import { OpenClawError } from "../../errors.js";
import { reservedNamespaceOf, sessionKeys, validateSessionKey } from "../../sessions/index.js";
import { agentIdFromModel, userKeyPart } from "./openai-request.js";

/** The agents as the OpenAI-shaped routes see them. */
export interface OpenAiAgents {
  has(agentId: string): boolean;
  defaultAgentId(): string;
  /** The `provider/model` an agent runs, as configured. */
  modelOf(agentId: string): string;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The agent a request targets: `x-openclaw-agent-id` (OpenClaw's compatibility override), else
 * the `model` field read as an agent target. An unknown one is OpenAI's 404 `model_not_found`.
 */
export function targetAgent(
  request: FastifyRequest,
  model: string,
  agents: OpenAiAgents,
  /** The backend model `x-openclaw-model` must name: the agent's own, or the embeddings model. */
  backendModel: (agentId: string) => string = (agentId) => agents.modelOf(agentId),
): string {
  const override = header(request, "x-openclaw-agent-id");
  const agentId = override ?? agentIdFromModel(model, agents.defaultAgentId());
  if (!agents.has(agentId)) {
    throw new OpenClawError(
      "OC_ERR_UNKNOWN_AGENT",
      override
        ? `agent "${override}" (x-openclaw-agent-id) does not exist`
        : `model "${model}" does not exist`,
      { hint: "GET /v1/models lists the agents as models: openclaw/<agentId>" },
    );
  }
  assertModelHeader(request, agentId, backendModel(agentId));
  return agentId;
}

/**
 * `x-openclaw-model` picks the backend model in OpenClaw. Here an agent's model is built where
 * the agent runs, with the provider key the gateway holds for it, so only the agent's own model
 * is accepted: another one is refused before the turn, never silently ignored.
 */
function assertModelHeader(request: FastifyRequest, agentId: string, configured: string): void {
  const requested = header(request, "x-openclaw-model");
  if (requested === undefined) return;
  if (requested === configured || configured.endsWith(`/${requested}`)) return;
  throw new OpenClawError(
    "OC_ERR_BAD_REQUEST",
    `x-openclaw-model "${requested}" is not supported here: agent "${agentId}" runs ${configured}`,
    {
      hint: `configure an agent with model "${requested}" and target it (model: "openclaw/<thatAgent>"), or omit the header`,
      details: { param: "x-openclaw-model" },
    },
  );
}

/**
 * The session a stateless OpenAI request is recorded under: the caller's explicit
 * `x-openclaw-session-key`, a stable one derived from `user`, or a fresh one per request.
 */
export function sessionKeyFor(
  request: FastifyRequest,
  user: string | undefined,
  agentId: string,
  runId: string,
): string {
  const explicit = header(request, "x-openclaw-session-key");
  if (explicit !== undefined) assertNotReserved(explicit);
  const key =
    explicit !== undefined
      ? validateSessionKey(explicit)
      : user
        ? validateSessionKey(sessionKeys.openAiUser(agentId, userKeyPart(user)))
        : sessionKeys.openAiRequest(agentId, runId);
  // The key goes back in a response header: one that could not be sent is refused now, before
  // the turn (and its tools) run, not with a 500 after them.
  try {
    validateHeaderValue("x-openclaw-session-key", key);
  } catch {
    throw new OpenClawError("OC_ERR_BAD_REQUEST", "the session key cannot be sent back in a header", {
      details: { param: "x-openclaw-session-key" },
    });
  }
  return key;
}

function assertNotReserved(sessionKey: string): void {
  const reserved = reservedNamespaceOf(sessionKey);
  if (reserved === undefined) return;
  throw new OpenClawError(
    "OC_ERR_BAD_REQUEST",
    `x-openclaw-session-key uses the reserved namespace "${reserved}" (the gateway's own runs)`,
    {
      hint: "choose an application-owned key outside subagent:, cron: and acp:",
      details: { param: "x-openclaw-session-key" },
    },
  );
}
