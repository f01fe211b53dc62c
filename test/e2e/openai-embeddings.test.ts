import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddingsServer } from "../../src/memory/testing/fake-embeddings-server.js";
import { type RunningGateway, startGateway, type TempHome, tempHome, useGateway } from "./harness.js";

/** What the fake embeddings server answers for `texts`, asked directly. */
async function direct(baseUrl: string, texts: string[]): Promise<number[][]> {
  const response = await fetch(`${baseUrl}/embeddings`, {
    method: "POST",
    body: JSON.stringify({ model: "fake-embed", input: texts }),
  });
  const body = (await response.json()) as { data: { embedding: number[] }[] };
  return body.data.map((item) => item.embedding);
}

describe("POST /v1/embeddings with the official openai client", () => {
  let embeddings: Awaited<ReturnType<typeof startEmbeddingsServer>>;
  let home: TempHome;
  let gateway: RunningGateway;
  let client: OpenAI;

  beforeAll(async () => {
    embeddings = await startEmbeddingsServer();
    home = await tempHome({
      agents: { main: { model: "dev/echo" } },
      memory: { embeddings: { model: "fake-embed", baseUrl: embeddings.baseUrl } },
    });
    gateway = await startGateway(home);
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: "unused", maxRetries: 0 });
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    await home?.cleanup();
    await new Promise((resolve) => embeddings?.server.close(resolve));
  });

  it("embeds through memory's embedder, in the SDK's default base64 form", async () => {
    const answer = await client.embeddings.create({
      model: "openclaw/default",
      input: ["alpha beta", "gamma"],
    });
    const expected = await direct(embeddings.baseUrl, ["alpha beta", "gamma"]);
    expect(answer.object).toBe("list");
    expect(answer.model).toBe("openclaw/default");
    expect(answer.data.map((item) => item.index)).toEqual([0, 1]);
    for (const [index, item] of answer.data.entries()) {
      expect(item.embedding).toHaveLength(64);
      for (const [at, value] of item.embedding.entries())
        expect(value).toBeCloseTo(expected[index]?.[at] ?? Number.NaN, 5);
    }
  });

  it("sends base64 as OpenAI does: the float32 values' little-endian bytes", async () => {
    const response = await fetch(`${gateway.url}/v1/embeddings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "openclaw", input: "alpha", encoding_format: "base64" }),
    });
    const body = (await response.json()) as { data: { embedding: unknown }[] };
    const encoded = body.data[0]?.embedding;
    expect(typeof encoded).toBe("string");
    const bytes = Buffer.from(encoded as string, "base64");
    const [expected] = await direct(embeddings.baseUrl, ["alpha"]);
    expect(bytes.readFloatLE(0)).toBeCloseTo(expected?.[0] ?? Number.NaN, 5);
    expect(bytes.length).toBe(64 * 4);
  });

  it("answers floats when asked, for a single string", async () => {
    const answer = await client.embeddings.create({
      model: "openclaw",
      input: "alpha",
      encoding_format: "float",
    });
    const [expected] = await direct(embeddings.baseUrl, ["alpha"]);
    expect(answer.data).toHaveLength(1);
    expect(answer.data[0]?.embedding[0]).toBeCloseTo(expected?.[0] ?? Number.NaN, 5);
  });

  it("refuses an unknown agent, another size and another embedding model", async () => {
    const unknown = await client.embeddings
      .create({ model: "openclaw/nobody", input: "x" })
      .catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    const size = await client.embeddings
      .create({ model: "openclaw", input: "x", dimensions: 1536 })
      .catch((error: unknown) => error);
    expect(size).toBeInstanceOf(OpenAI.BadRequestError);
    expect(String((size as Error).message)).toContain("dimensions 1536");
    const other = await client.embeddings
      .create(
        { model: "openclaw", input: "x" },
        { headers: { "x-openclaw-model": "text-embedding-3-large" } },
      )
      .catch((error: unknown) => error);
    expect(other).toBeInstanceOf(OpenAI.BadRequestError);
    const same = await client.embeddings.create(
      { model: "openclaw", input: "x" },
      { headers: { "x-openclaw-model": "fake-embed" } },
    );
    expect(same.data).toHaveLength(1);
  });
});

describe("POST /v1/embeddings without memory.embeddings", () => {
  const running = useGateway({ agents: { main: { model: "dev/echo" } } });

  it("says that no embeddings model is configured, and how to configure one", async () => {
    const client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: "unused", maxRetries: 0 });
    const failure = await client.embeddings
      .create({ model: "openclaw", input: "x" })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect(String((failure as Error).message)).toContain("no embeddings model is configured");
    expect(String((failure as Error).message)).toContain("memory.embeddings");
  });
});
