import { OpenClawError } from "../../errors.js";

export interface EmbeddingsClientOptions {
  baseUrl: string;
  model: string;
  /** The credential (in the gateway: a placeholder the egress fetch swaps). */
  apiKey?: string;
  fetch: typeof globalThis.fetch;
  /** Expected vector size; learned from the first answer when unset. */
  dimensions?: number;
  batchSize: number;
  timeoutMs?: number;
}

interface EmbeddingsResponse {
  data?: { embedding?: unknown; index?: number }[];
}

/**
 * The OpenAI-compatible `/v1/embeddings` API (OpenAI, Ollama, vLLM, llama.cpp), batched. Every
 * vector is checked: the right size, finite numbers; a wrong answer is an error, never stored.
 */
export class EmbeddingsClient {
  private dimensionsSeen: number | undefined;

  constructor(private readonly options: EmbeddingsClientOptions) {
    this.dimensionsSeen = options.dimensions;
  }

  get model(): string {
    return this.options.model;
  }

  get dimensions(): number | undefined {
    return this.dimensionsSeen;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.options.batchSize) {
      vectors.push(...(await this.embedBatch(texts.slice(start, start + this.options.batchSize))));
    }
    return vectors;
  }

  private async embedBatch(input: readonly string[]): Promise<Float32Array[]> {
    const url = `${this.options.baseUrl.replace(/\/+$/, "")}/embeddings`;
    let response: Response;
    try {
      response = await this.options.fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: this.options.model, input }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
      });
    } catch (error) {
      throw new OpenClawError(
        "OC_ERR_MEMORY",
        `the embeddings server at ${url} could not be reached: ${(error as Error).message}`,
        {
          hint: "check memory.embeddings.baseUrl and that the server runs",
        },
      );
    }
    if (!response.ok) {
      const detail = (await response.text()).slice(0, 200);
      throw new OpenClawError(
        "OC_ERR_MEMORY",
        `the embeddings server answered ${response.status}: ${detail}`,
        {
          hint:
            response.status === 401 || response.status === 403
              ? "check memory.embeddings.apiKey"
              : "check memory.embeddings.model",
        },
      );
    }
    const body = (await response.json()) as EmbeddingsResponse;
    const data = body.data ?? [];
    if (data.length !== input.length) {
      throw new OpenClawError(
        "OC_ERR_MEMORY",
        `the embeddings server returned ${data.length} vectors for ${input.length} inputs`,
      );
    }
    const ordered = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return ordered.map((item) => this.toVector(item.embedding));
  }

  private toVector(value: unknown): Float32Array {
    if (
      !Array.isArray(value) ||
      !value.every((number) => typeof number === "number" && Number.isFinite(number))
    ) {
      throw new OpenClawError(
        "OC_ERR_MEMORY",
        "the embeddings server returned something that is not a vector of numbers",
      );
    }
    this.dimensionsSeen ??= value.length;
    if (value.length !== this.dimensionsSeen) {
      throw new OpenClawError(
        "OC_ERR_MEMORY",
        `the embedding has ${value.length} dimensions, ${this.dimensionsSeen} were expected`,
        { hint: "set memory.embeddings.dimensions to the model's size, or change the model back" },
      );
    }
    return Float32Array.from(value);
  }
}
