import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, withTestAuth } from "./harness.js";
import { useProviderGateway } from "./provider-gateway.js";
import { TestWsClient } from "./ws-client.js";

const MASK = "[secret]";
const pem = () =>
  generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();

/** What the gateway resolves from a file: its content less one trailing newline. */
const SIGNING_KEY = pem().replace(/\n$/, "");
/** A service-account file: quotes everywhere, and a second key inside with `\n` escapes. */
const SERVICE_ACCOUNT = JSON.stringify(
  {
    type: "service_account",
    project_id: "openclaw-e2e",
    private_key_id: randomBytes(20).toString("hex"),
    private_key: pem(),
    client_email: `gateway-${randomBytes(4).toString("hex")}@openclaw-e2e.iam.gserviceaccount.com`,
  },
  null,
  2,
);
const CANARY = `sk-ant-api03-canary-${randomBytes(16).toString("hex")}`;

const jsonEscaped = (value: string) => JSON.stringify(value).slice(1, -1);

/** Every spelling of a secret that must never leave: raw, JSON-escaped, and each line of 8+. */
function spellings(secret: string): string[] {
  const lines = secret
    .split(/\r\n|\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line.length >= 8);
  return [...new Set([secret, jsonEscaped(secret), ...lines, ...lines.map(jsonEscaped)])];
}

const SPELLINGS = [...spellings(SIGNING_KEY), ...spellings(SERVICE_ACCOUNT)];
/** A few lines of each, never either whole: what a model quoting a file would write. */
const QUOTED = `${SIGNING_KEY.split("\n").slice(3, 6).join("\n")}\n${SERVICE_ACCOUNT.split("\n").slice(1, 4).join("\n")}`;

/** The first spelling `text` holds, shortened for the failure message, or undefined. */
function leakIn(text: string): string | undefined {
  const found = SPELLINGS.find((spelling) => text.includes(spelling));
  return found === undefined ? undefined : `${found.slice(0, 40)}… (${found.length} chars)`;
}

/** Pieces cut at awkward places: inside lines, inside escapes, one character long. */
function cut(text: string, sizes: number[]): string[] {
  const pieces: string[] = [];
  for (let start = 0, index = 0; start < text.length; index++) {
    const size = sizes[index % sizes.length] ?? 1;
    pieces.push(text.slice(start, start + size));
    start += size;
  }
  return pieces;
}

async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

async function chatRaw(
  url: string,
  body: Record<string, unknown>,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "openclaw/main", ...body }),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: response.status, text: await response.text() };
}

// Defence in depth: a PEM key or a JSON credential file that reaches output (a model quoting it,
// a tool printing it line by line) is masked in every spelling, on every output path.
describe("secret spellings: multi-line and JSON secrets never leave", () => {
  const running = useProviderGateway({
    apiKey: CANARY,
    files: {
      "claude.key": `${CANARY}\n`,
      "signing.pem": `${SIGNING_KEY}\n`,
      "service-account.json": SERVICE_ACCOUNT,
    },
    // The agent's own copy, for a tool to print line by line.
    prepare: async ({ path }) => {
      await mkdir(path("workspace"), { recursive: true });
      await writeFile(join(path("workspace"), "signing.pem"), `${SIGNING_KEY}\n`);
    },
    config: ({ baseUrl, path }) =>
      withTestAuth({
        externalSecrets: {
          "claude-api-key": { source: "file", path: path("claude.key") },
          "signing-key": { source: "file", path: path("signing.pem") },
          "service-account": { source: "file", path: path("service-account.json") },
        },
        models: { providers: { anthropic: { baseUrl } } },
        agents: {
          main: {
            model: "anthropic/claude-sonnet-4-5",
            workspace: path("workspace"),
            plugins: [join(REPO_ROOT, "examples/plugins/summarize-file.mjs")],
          },
        },
      }),
    logLevel: "debug",
  });

  it("masks them in the HTTP JSON reply", async () => {
    running.provider.enqueue({
      type: "text",
      text: [
        "The key:\n",
        SIGNING_KEY,
        "\nThe account: ",
        SERVICE_ACCOUNT,
        "\nQuoted:\n",
        QUOTED,
        "\nThat is all.",
      ],
    });
    const reply = await chatRaw(running.gateway.url, {
      user: "http-json",
      messages: [{ role: "user", content: "show me the keys" }],
    });
    expect(reply.status, reply.text).toBe(200);
    expect(leakIn(reply.text)).toBeUndefined();
    expect(reply.text).toContain(MASK);
    expect(reply.text).toContain("That is all.");
  });

  it("masks them in an SSE streamed reply, cut at awkward places", async () => {
    running.provider.enqueue({
      type: "text",
      text: [
        "Key: ",
        ...cut(SIGNING_KEY, [13, 1, 64, 7, 200]),
        " account: ",
        ...cut(SERVICE_ACCOUNT, [5, 90, 1, 333]),
        " quoted: ",
        ...cut(QUOTED, [2, 30, 71]),
      ],
    });
    const reply = await chatRaw(running.gateway.url, {
      user: "http-sse",
      stream: true,
      messages: [{ role: "user", content: "stream the keys" }],
    });
    expect(reply.status).toBe(200);
    expect(leakIn(reply.text)).toBeUndefined();
    const content = reply.text
      .split("\n")
      .filter((line) => line.startsWith("data: {"))
      .map((line) => (JSON.parse(line.slice(6)) as { choices: { delta: { content?: string } }[] }).choices)
      .map((choices) => choices[0]?.delta.content ?? "")
      .join("");
    expect(leakIn(content)).toBeUndefined();
    expect(content).toContain(`Key: ${MASK}`);
  });

  it("masks them in WebSocket chat events, quoted by the model and printed by a tool", async () => {
    const { client } = await TestWsClient.connect(running.gateway.url);
    const raw: string[] = [];
    client.socket.on("message", (data) => raw.push(data.toString()));
    try {
      const turn = async (sessionKey: string, message: string) => {
        const sent = await client.request("chat.send", { sessionKey, message, idempotencyKey: message });
        const runId = sent.payload?.runId as string;
        return client.waitFor(
          (frame) =>
            frame.event === "chat" &&
            frame.payload?.runId === runId &&
            (frame.payload?.state === "final" || frame.payload?.state === "error"),
          20_000,
        );
      };
      running.provider.enqueue({
        type: "text",
        text: cut(`${SERVICE_ACCOUNT} and ${SIGNING_KEY}`, [3, 41, 1, 120]),
      });
      expect((await turn("agent:main:ws-echo", "quote them")).payload?.state).toBe("final");

      // The tool returns the file's first lines: no whole key, only lines of it.
      running.provider.enqueue(
        { type: "tool-call", toolName: "summarize_file", input: { path: "signing.pem", maxLines: 6 } },
        { type: "text", text: "The file starts with those lines." },
      );
      expect((await turn("agent:main:ws-tool", "what is in signing.pem?")).payload?.state).toBe("final");
      const toolResult = JSON.stringify(running.provider.lastRequest?.body);
      expect(leakIn(toolResult)).toBeUndefined();
      expect(toolResult).toContain(MASK);
    } finally {
      client.close();
    }
    const text = raw.join("\n");
    expect(text).toContain(MASK);
    expect(leakIn(text)).toBeUndefined();
  });

  it("masks them in provider error bodies", async () => {
    running.provider.enqueue({ type: "error", status: 400, message: `bad request near ${SIGNING_KEY}` });
    const failed = await chatRaw(running.gateway.url, {
      messages: [{ role: "user", content: "fail please" }],
    });
    expect(failed.status).toBeGreaterThanOrEqual(400);
    expect(leakIn(failed.text)).toBeUndefined();

    running.provider.enqueue({
      type: "stream-error",
      text: "partial answer",
      message: `overloaded: ${SERVICE_ACCOUNT}`,
    });
    const streamed = await chatRaw(running.gateway.url, {
      stream: true,
      messages: [{ role: "user", content: "fail later" }],
    });
    expect(leakIn(streamed.text)).toBeUndefined();
  });

  it("keeps them out of the session transcripts, every state-dir file and the logs", async () => {
    const transcripts = (await filesUnder(join(running.home.stateDir, "sessions"))).filter((file) =>
      file.endsWith(".jsonl"),
    );
    expect(transcripts.length).toBeGreaterThanOrEqual(3);
    for (const file of await filesUnder(running.home.stateDir)) {
      if (file.endsWith(".heapsnapshot")) continue;
      expect(leakIn(await readFile(file, "utf8")), file).toBeUndefined();
    }
    const logs = (await filesUnder(join(running.home.stateDir, "logs"))).length;
    expect(logs).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(running.gateway.output()).toContain("tool call");
    expect(leakIn(running.gateway.output())).toBeUndefined();
  });
});
