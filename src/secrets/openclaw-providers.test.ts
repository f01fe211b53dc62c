import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isOpenClawError, type OpenClawError } from "../errors.js";
import { readExecSecret } from "./exec-source.js";
import { readFileSecret } from "./file-source.js";
import { pointerSegments } from "./json-pointer.js";

async function failure(promise: Promise<unknown>): Promise<OpenClawError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isOpenClawError(error)) throw new Error(`expected an OpenClawError, got ${String(error)}`);
  return error;
}

/** A resolver speaking OpenClaw's exec protocol v1, as a user would write one. */
const RESOLVER = `#!/usr/bin/env node
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const request = JSON.parse(input);
  const known = { "providers/openai/apiKey": "sk-from-vault", echo: JSON.stringify(request) };
  const values = {};
  const errors = {};
  for (const id of request.ids) {
    if (id in known) values[id] = known[id];
    else errors[id] = { code: "NOT_FOUND", message: "secret-looking detail" };
  }
  process.stdout.write(JSON.stringify({ protocolVersion: request.provider === "old" ? 2 : 1, values, errors }));
});
`;

describe("OpenClaw's file and exec providers on our secret sources", () => {
  let dir: string;
  let resolver: string;
  const options = () => ({ env: { PATH: process.env.PATH }, configDir: dir });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-providers-"));
    resolver = join(dir, "resolver.mjs");
    await writeFile(resolver, RESOLVER);
    await chmod(resolver, 0o700);
    await writeFile(
      join(dir, "secrets.json"),
      JSON.stringify({
        providers: { openai: { apiKey: "sk-from-file" } },
        "a/b": { "c~d": "escaped" },
        n: 1,
      }),
      { mode: 0o600 },
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("reads the string at a JSON pointer of a JSON secrets file", async () => {
    const read = (pointer: string) =>
      readFileSecret("k", { source: "file", path: "secrets.json", pointer }, options());
    expect(await read("/providers/openai/apiKey")).toBe("sk-from-file");
    expect(await read("/a~1b/c~0d")).toBe("escaped");
    expect((await failure(read("/providers/missing"))).message).toMatch(
      /has nothing at \/providers\/missing/,
    );
    expect((await failure(read("/n"))).message).toMatch(/no non-empty string at \/n/);
  });

  it("never quotes the file when it is not JSON", async () => {
    await writeFile(join(dir, "plain.txt"), "sk-plain-secret-value\n", { mode: 0o600 });
    const error = await failure(
      readFileSecret("k", { source: "file", path: "plain.txt", pointer: "/x" }, options()),
    );
    expect(error.message).toMatch(/is not valid JSON/);
    expect(JSON.stringify({ message: error.message, hint: error.hint })).not.toContain("sk-plain");
  });

  it("parses pointers as RFC 6901 does", () => {
    expect(pointerSegments("")).toEqual([]);
    expect(pointerSegments("/a~1b/~0")).toEqual(["a/b", "~"]);
    expect(pointerSegments("a")).toBeUndefined();
  });

  it("asks an exec resolver with protocol v1 on stdin and takes values[id]", async () => {
    const read = (id: string, provider = "vault") =>
      readExecSecret("k", { source: "exec", command: [resolver], json: { provider, id } }, options());
    expect(await read("providers/openai/apiKey")).toBe("sk-from-vault");
    expect(JSON.parse(await read("echo"))).toEqual({ protocolVersion: 1, provider: "vault", ids: ["echo"] });
  });

  it("shows a resolver's NOT_FOUND code but not its free-form message", async () => {
    const error = await failure(
      readExecSecret(
        "k",
        { source: "exec", command: [resolver], json: { provider: "vault", id: "nope" } },
        options(),
      ),
    );
    expect(error.message).toMatch(/no value for id "nope" \(NOT_FOUND\)/);
    expect(error.message + error.hint).not.toContain("secret-looking");
  });

  it("refuses a reply of another protocol version, and plain output unless jsonOnly is false", async () => {
    const old = await failure(
      readExecSecret(
        "k",
        { source: "exec", command: [resolver], json: { provider: "old", id: "echo" } },
        options(),
      ),
    );
    expect(old.message).toMatch(/protocolVersion 2, not 1/);
    const plain = { source: "exec" as const, command: ["/bin/echo", "plain-value"] };
    expect(
      (await failure(readExecSecret("k", { ...plain, json: { provider: "p", id: "x" } }, options()))).message,
    ).toMatch(/did not reply with JSON/);
    expect(
      await readExecSecret("k", { ...plain, json: { provider: "p", id: "x", jsonOnly: false } }, options()),
    ).toBe("plain-value");
  });
});
