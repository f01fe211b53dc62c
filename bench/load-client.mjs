// The load generator, run as its own process (so the measured server never shares its event
// loop): keep-alive HTTP requests at a fixed concurrency, bounded by count and time. Prints one
// JSON line: requests, errors, seconds, requests/s and latency percentiles.
import { Agent, request } from "node:http";

const spec = JSON.parse(process.argv[2]);
const {
  url,
  method = "GET",
  body,
  headers = {},
  concurrency = 8,
  maxRequests = 20_000,
  maxMs = 5_000,
} = spec;
const target = new URL(url);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const payload =
  body === undefined ? undefined : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
const latencies = [];
let sent = 0;
let errors = 0;
const started = performance.now();

function once() {
  return new Promise((resolve) => {
    const begin = performance.now();
    const outgoing = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method,
        headers: {
          ...headers,
          ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}),
        },
      },
      (response) => {
        response.resume();
        response.on("end", () => {
          if (response.statusCode !== 200) errors += 1;
          latencies.push(performance.now() - begin);
          resolve();
        });
      },
    );
    outgoing.on("error", () => {
      errors += 1;
      resolve();
    });
    outgoing.end(payload);
  });
}

async function lane() {
  while (sent < maxRequests && performance.now() - started < maxMs) {
    sent += 1;
    await once();
  }
}

await Promise.all(Array.from({ length: concurrency }, lane));
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (fraction) =>
  latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(fraction * latencies.length) - 1))];
process.stdout.write(
  `${JSON.stringify({ requests: latencies.length, errors, seconds, rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99) })}\n`,
);
agent.destroy();
