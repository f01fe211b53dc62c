// bench/redaction: the cost of the Redactor on the path every HTTP answer and WebSocket frame
// takes (~10 000 answers/s on the chat path): `redact` on a 2 KB JSON answer, with five registered
// secrets, with and without a secret in it, for plain API keys and for multi-line secrets (a PEM
// key and a service-account JSON file, each of whose lines is registered too).
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { Redactor } from "../dist/secrets/index.js";
import { printTable } from "./gateway-process.mjs";

const CALLS = 100_000;
const ROUNDS = 7;

const pem = () =>
  generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();

/** A flat string, as JSON.stringify makes it (a sliced string is slower to read, per character). */
const flat = (text) => Buffer.from(text).toString();

function answer() {
  const content = "The gateway answered: Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(
    30,
  );
  return flat(
    JSON.stringify({
      id: "chatcmpl-0123456789",
      object: "chat.completion",
      model: "openclaw/main",
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content } }],
    }).slice(0, 2048),
  );
}

/** Best of ROUNDS: the machine's noise only ever adds time. */
function microsecondsPerCall(redactor, text) {
  for (let index = 0; index < 20_000; index++) redactor.redact(text);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    const startedAt = process.hrtime.bigint();
    for (let index = 0; index < CALLS; index++) redactor.redact(text);
    best = Math.min(best, Number(process.hrtime.bigint() - startedAt) / CALLS / 1000);
  }
  return best;
}

export async function runRedaction() {
  const keys = Array.from({ length: 5 }, () => `sk-ant-api03-${randomBytes(36).toString("base64url")}`);
  const serviceAccount = JSON.stringify(
    {
      type: "service_account",
      project_id: "bench",
      private_key_id: randomBytes(20).toString("hex"),
      private_key: pem(),
    },
    null,
    2,
  );
  const sets = {
    "5 API keys": keys,
    "3 API keys, a PEM key, a service-account file": [...keys.slice(0, 3), pem(), serviceAccount],
  };
  const clean = answer();
  const leaking = flat(clean.slice(0, 1000) + keys[2] + clean.slice(1000 + keys[2].length));
  const rows = [];
  for (const [name, secrets] of Object.entries(sets)) {
    const redactor = new Redactor();
    for (const secret of secrets) redactor.add(secret);
    rows.push({
      secrets: name,
      strings: redactor.size,
      cleanMicroseconds: microsecondsPerCall(redactor, clean),
      leakingMicroseconds: microsecondsPerCall(redactor, leaking),
    });
  }
  console.log(
    `\nbench/redaction: redact() on a ${clean.length}-character JSON answer, best of ${ROUNDS} × ${CALLS}`,
  );
  printTable([
    ["registered secrets", "strings masked", "µs, no secret in it", "µs, one key in it"],
    ...rows.map((row) => [
      row.secrets,
      row.strings,
      row.cleanMicroseconds.toFixed(2),
      row.leakingMicroseconds.toFixed(2),
    ]),
  ]);
  return { answerChars: clean.length, rows };
}
