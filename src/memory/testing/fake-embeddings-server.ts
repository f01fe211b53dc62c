import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A deterministic OpenAI-compatible embeddings server: bag-of-words hashed into 64 dimensions. */
export async function startEmbeddingsServer(): Promise<{
  server: Server;
  baseUrl: string;
  calls: () => number;
}> {
  let calls = 0;
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      calls += 1;
      const { input } = JSON.parse(body) as { input: string[] };
      const data = input.map((text, index) => {
        const vector = new Array<number>(64).fill(0);
        for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
          let hash = 0;
          for (const char of word) hash = (hash * 31 + char.charCodeAt(0)) % 64;
          vector[hash] = (vector[hash] ?? 0) + 1;
        }
        return { object: "embedding", index, embedding: vector.map((value) => value + 0.001) };
      });
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ object: "list", data, model: "fake-embed" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, baseUrl: `http://127.0.0.1:${port}/v1`, calls: () => calls };
}
