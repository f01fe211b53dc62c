// bench/streaming: time to first token and tokens per second of a streamed answer, read through
// the gateway (SSE of /v1/chat/completions, a thread-bound agent on an openai-compatible
// provider) and read directly from the same loopback fake provider streaming at a fixed rate.
import { join } from "node:path";
import { AUTH, printTable, REPO_ROOT, startGateway, summarize } from "./gateway-process.mjs";

const TOKENS = 200;
const CHUNK_DELAY_MS = 2;
const RUNS = Number(process.env.BENCH_STREAM_RUNS ?? 10);
const WORDS = Array.from({ length: TOKENS }, (_, index) => `w${index} `);

/** Reads an SSE response, counting content chunks: time to the first one, chunks per second. */
async function readStream(started, response) {
  let first;
  let tokens = 0;
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end !== -1) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf("\n\n");
      const data = event.replace(/^data: /, "");
      if (data === "[DONE]" || !data.startsWith("{")) continue;
      const text = JSON.parse(data).choices?.[0]?.delta?.content;
      if (text) {
        first ??= performance.now() - started;
        tokens += text.split(" ").filter(Boolean).length;
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { ttftMs: first ?? Number.NaN, tokensPerSecond: tokens / seconds, tokens };
}

export async function runStreaming() {
  const { FakeOpenAIServer } = await import(join(REPO_ROOT, "dist/models/testing/fake-openai-server.js"));
  const provider = new FakeOpenAIServer({
    chunkDelayMs: CHUNK_DELAY_MS,
    respond: () => ({ type: "text", text: WORDS }),
  });
  const { baseUrl } = await provider.start();
  const gateway = await startGateway({
    models: { providers: { local: { type: "openai-compatible", baseUrl } } },
    agents: { main: { threadBound: true, model: "local/fake" } },
  });
  const body = (model) =>
    JSON.stringify({ model, stream: true, messages: [{ role: "user", content: "go" }] });
  const direct = [];
  const through = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      let started = performance.now();
      direct.push(
        await readStream(
          started,
          await fetch(`${baseUrl}/chat/completions`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: body("fake"),
          }),
        ),
      );
      started = performance.now();
      through.push(
        await readStream(
          started,
          await fetch(`${gateway.url}/v1/chat/completions`, {
            method: "POST",
            headers: { "content-type": "application/json", ...AUTH },
            body: body("openclaw/main"),
          }),
        ),
      );
    }
  } finally {
    await gateway.stop();
    await provider.close();
  }
  const row = (name, samples) => {
    const ttft = summarize(samples.map((sample) => sample.ttftMs));
    const rate = summarize(samples.map((sample) => sample.tokensPerSecond));
    return { name, ttftP50: ttft.p50, ttftMax: ttft.max, tokensPerSecondP50: rate.p50 };
  };
  const rows = [row("provider directly", direct), row("through the gateway", through)];
  console.log(`\nbench/streaming: ${TOKENS} tokens, one per ${CHUNK_DELAY_MS} ms, ${RUNS} runs each`);
  printTable([
    ["path", "TTFT p50 ms", "TTFT max ms", "tokens/s p50", "vs direct"],
    ...rows.map((entry) => [
      entry.name,
      entry.ttftP50.toFixed(2),
      entry.ttftMax.toFixed(2),
      Math.round(entry.tokensPerSecondP50),
      `${((entry.tokensPerSecondP50 / rows[0].tokensPerSecondP50) * 100).toFixed(1)}%`,
    ]),
  ]);
  return { tokens: TOKENS, chunkDelayMs: CHUNK_DELAY_MS, runs: RUNS, rows };
}
