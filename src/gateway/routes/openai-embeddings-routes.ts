import type { FastifyInstance } from "fastify";
import { OpenClawError } from "../../errors.js";
import type { Embedder } from "../../memory/cached-embeddings.js";
import { OPERATOR_WRITE, withAccess } from "../access/route-access.js";
import { type OpenAiAgents, targetAgent } from "./openai-agent-target.js";

export interface EmbeddingsRouteDeps {
  agents: OpenAiAgents;
  /** memory.embeddings' model, read per request: a config reload may add or drop it. */
  embedder(): Embedder | undefined;
}

/** More than any memory batch; an SDK's document-chunking call stays well under it. */
const MAX_INPUTS = 2048;

interface EmbeddingsRequest {
  model: string;
  input: string[];
  dimensions: number | undefined;
  base64: boolean;
}

function bad(message: string, param: string): OpenClawError {
  return new OpenClawError("OC_ERR_BAD_REQUEST", message, { details: { param } });
}

function parseEmbeddingsRequest(raw: unknown): EmbeddingsRequest {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw bad("request body must be a JSON object", "body");
  const body = raw as Record<string, unknown>;
  if (typeof body.model !== "string" || body.model === "")
    throw bad("model is required: openclaw/<agentId> (see GET /v1/models)", "model");
  const input = typeof body.input === "string" ? [body.input] : body.input;
  if (!Array.isArray(input) || input.length === 0 || !input.every((text) => typeof text === "string"))
    throw bad(
      "input must be a string or a non-empty array of strings (token arrays are not supported)",
      "input",
    );
  if (input.length > MAX_INPUTS) throw bad(`input holds more than ${MAX_INPUTS} texts`, "input");
  const { dimensions, encoding_format: format } = body;
  if (
    dimensions !== undefined &&
    dimensions !== null &&
    !(Number.isSafeInteger(dimensions) && (dimensions as number) > 0)
  )
    throw bad("dimensions must be a positive integer", "dimensions");
  if (format !== undefined && format !== null && format !== "float" && format !== "base64")
    throw bad('encoding_format must be "float" or "base64"', "encoding_format");
  return {
    model: body.model,
    input: input as string[],
    dimensions: typeof dimensions === "number" ? dimensions : undefined,
    base64: format === "base64",
  };
}

/** OpenAI's base64 form: the float32 values' little-endian bytes (what its SDKs decode). */
function base64Of(vector: Float32Array): string {
  const bytes = Buffer.alloc(vector.length * 4);
  for (const [index, value] of vector.entries()) bytes.writeFloatLE(value, index * 4);
  return bytes.toString("base64");
}

/**
 * OpenAI's embeddings API through memory's embedder: the same model, key and egress path that
 * index the agents' memories, so a client embeds its queries exactly as memory does.
 */
export function registerOpenAiEmbeddingsRoutes(server: FastifyInstance, deps: EmbeddingsRouteDeps): void {
  server.post("/v1/embeddings", withAccess(OPERATOR_WRITE), async (request) => {
    const body = parseEmbeddingsRequest(request.body);
    const embedder = deps.embedder();
    if (!embedder) {
      throw new OpenClawError("OC_ERR_MODEL_CONFIG", "no embeddings model is configured", {
        hint: 'set memory.embeddings (for example { "provider": "openai", "model": "text-embedding-3-small" }) and keep memory.enabled',
      });
    }
    targetAgent(request, body.model, deps.agents, () => embedder.model);
    // The model's size is fixed by memory's vector tables: another one cannot be asked for here.
    if (
      body.dimensions !== undefined &&
      embedder.dimensions !== undefined &&
      body.dimensions !== embedder.dimensions
    ) {
      throw new OpenClawError(
        "OC_ERR_BAD_REQUEST",
        `dimensions ${body.dimensions} is not supported: ${embedder.model} gives ${embedder.dimensions}`,
        { hint: "omit dimensions, or set memory.embeddings.dimensions", details: { param: "dimensions" } },
      );
    }
    const vectors = await embedder.embed(body.input);
    return {
      object: "list",
      data: vectors.map((vector, index) => ({
        object: "embedding",
        index,
        embedding: body.base64 ? base64Of(vector) : Array.from(vector),
      })),
      model: body.model,
      // The embedder does not report token counts; zero says "not counted", not "free".
      usage: { prompt_tokens: 0, total_tokens: 0 },
    };
  });
}
