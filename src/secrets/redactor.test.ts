import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Redactor, SECRET_MASK } from "./redactor.js";

const KEY = "sk-ant-api03-canary-0123456789";

describe("Redactor", () => {
  it("masks a registered value, its base64 and URL-encoded forms, everywhere in a text", () => {
    const redactor = new Redactor();
    redactor.add(KEY);
    const base64 = Buffer.from(KEY).toString("base64");
    expect(redactor.redact(`a ${KEY} b ${KEY} c ${base64}`)).toBe(
      `a ${SECRET_MASK} b ${SECRET_MASK} c ${SECRET_MASK}`,
    );
    expect(redactor.leaks(`x${KEY}x`)).toBe(true);
    expect(redactor.leaks("nothing here")).toBe(false);
  });

  it("ignores values too short to be credentials, which would mask ordinary words", () => {
    const redactor = new Redactor();
    redactor.add("abc");
    expect(redactor.redact("abc")).toBe("abc");
    expect(redactor.size).toBe(0);
  });

  it("masks the strings of a nested value without changing the original", () => {
    const redactor = new Redactor();
    redactor.add(KEY);
    const original = { list: [KEY, 1, { deep: `key=${KEY}` }], flag: true };
    expect(redactor.redactValue(original)).toEqual({
      list: [SECRET_MASK, 1, { deep: `key=${SECRET_MASK}` }],
      flag: true,
    });
    expect(original.list[0]).toBe(KEY);
  });

  it("masks a value split across streamed pieces and holds back no more than it must", () => {
    const redactor = new Redactor();
    redactor.add(KEY);
    const stream = redactor.stream();
    const pieces = ["The key is sk-ant-", "api03-canary-01", "23456789, done. sk-", "not a key"];
    const out = pieces.map((piece) => stream.push(piece));
    out.push(stream.end());
    expect(out.join("")).toBe(`The key is ${SECRET_MASK}, done. sk-not a key`);
    expect(out[0]).toBe("The key is ");
    // Plain text with no possible start of a value passes straight through.
    expect(redactor.stream().push("hello world")).toBe("hello world");
  });
});

/** A PEM-like key: armor lines around 64-column base64, as `openssl genpkey` writes it. */
function pemLike(seed: string): string {
  const body = Buffer.from(seed.repeat(40))
    .toString("base64")
    .slice(0, 64 * 12 + 20);
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join("\n")}\n-----END PRIVATE KEY-----`;
}

const PEM = pemLike("openclaw-test-key-material/");
/** A service-account file: quotes everywhere, and the key inside with `\n` escapes. */
const SERVICE_ACCOUNT = JSON.stringify(
  {
    type: "service_account",
    project_id: "openclaw-tests",
    private_key_id: "0123456789abcdef0123456789abcdef01234567",
    private_key: `${pemLike("another-key-entirely/")}\n`,
    client_email: "gateway@openclaw-tests.iam.gserviceaccount.com",
  },
  null,
  2,
);
const jsonEscaped = (value: string) => JSON.stringify(value).slice(1, -1);
const linesOf = (value: string) =>
  value
    .split(/\r\n|\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line.length >= 8);

/** Every spelling of `secret` the redactor promises to mask, for assertions. */
function spellings(secret: string): string[] {
  return [secret, jsonEscaped(secret), ...linesOf(secret).flatMap((line) => [line, jsonEscaped(line)])];
}

function expectNoSpelling(text: string, secret: string): void {
  for (const spelling of spellings(secret)) expect(text).not.toContain(spelling);
}

describe("Redactor: multi-line and JSON secrets", () => {
  const redactor = new Redactor();
  redactor.add(PEM);
  redactor.add(SERVICE_ACCOUNT);

  it("masks a PEM key and a service-account file in raw text", () => {
    const text = `key file:\n${PEM}\nand the account: ${SERVICE_ACCOUNT} end`;
    const redacted = redactor.redact(text);
    expectNoSpelling(redacted, PEM);
    expectNoSpelling(redacted, SERVICE_ACCOUNT);
    expect(redacted).toBe(`key file:\n${SECRET_MASK}\nand the account: ${SECRET_MASK} end`);
  });

  it("masks them in JSON.stringify output, where quotes, backslashes and newlines are escaped", () => {
    const body = JSON.stringify({
      tool: { output: PEM },
      file: SERVICE_ACCOUNT,
      nested: JSON.stringify({ PEM }),
    });
    const redacted = redactor.redact(body);
    expectNoSpelling(redacted, PEM);
    expectNoSpelling(redacted, SERVICE_ACCOUNT);
    // Masking whole escaped strings keeps the JSON valid.
    expect(JSON.parse(redacted)).toMatchObject({ tool: { output: SECRET_MASK }, file: SECRET_MASK });
  });

  it("masks a key printed line by line, reordered or indented", () => {
    const lines = PEM.split("\n");
    const printed = lines
      .slice(3, 7)
      .map((line, index) => `${index + 1}:    ${line}`)
      .join("\n");
    const redacted = redactor.redact(printed);
    for (const line of lines.slice(3, 7)) expect(redacted).not.toContain(line);
    expect(redacted).toContain(`1:    ${SECRET_MASK}`);
    const accountLine = SERVICE_ACCOUNT.split("\n").find((line) => line.includes("client_email"));
    expect(redactor.redact(`log: ${accountLine?.trim()}`)).toBe(`log: ${SECRET_MASK}`);
    expect(redactor.redact(JSON.stringify({ line: accountLine }))).not.toContain("gateway@openclaw-tests");
  });

  it("masks them split across stream chunks, raw and JSON-escaped", () => {
    for (const text of [`The key:\n${PEM}\ndone`, JSON.stringify({ file: SERVICE_ACCOUNT, key: PEM })]) {
      for (const size of [1, 3, 7, 64, 100]) {
        const stream = redactor.stream();
        let out = "";
        for (let start = 0; start < text.length; start += size)
          out += stream.push(text.slice(start, start + size));
        out += stream.end();
        expectNoSpelling(out, PEM);
        expectNoSpelling(out, SERVICE_ACCOUNT);
        expect(out).toContain(SECRET_MASK);
      }
    }
  });

  it("leaves text without a secret as it is, short lines of a key included", () => {
    const text = JSON.stringify({ message: "-----\n{\n}\nall good", lines: ["  ", "abc"] });
    expect(redactor.redact(text)).toBe(text);
    expect(redactor.leaks(text)).toBe(false);
    const stream = redactor.stream();
    expect(stream.push("plain words, nothing else") + stream.end()).toBe("plain words, nothing else");
  });

  it("registers the forms of a value even when it equals a form of another one", () => {
    const combined = new Redactor();
    const line = PEM.split("\n")[2] ?? "";
    combined.add(PEM);
    combined.add(line);
    expect(combined.redact(Buffer.from(line).toString("base64"))).toBe(SECRET_MASK);
  });
});

/** Secrets made of the characters JSON escapes, line breaks, unicode and plain runs. */
const awkwardSecret = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '"',
        "\\",
        "\n",
        "\r\n",
        "\t",
        "\u0000",
        "é",
        "😀",
        "\u2028",
        "\ud800",
        "/",
        "'",
        "%",
        "+",
      ),
      fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 10 }),
      fc.string({ unit: "binary", minLength: 1, maxLength: 3 }),
    ),
    { minLength: 2, maxLength: 12 },
  )
  .map((parts) => parts.join(""))
  .filter((secret) => secret.length >= 6 && !secret.includes(SECRET_MASK));

describe("Redactor: properties", () => {
  it("never leaves the JSON-escaped secret in JSON.stringify output", () => {
    fc.assert(
      fc.property(awkwardSecret, fc.array(awkwardSecret, { maxLength: 3 }), (secret, others) => {
        const redactor = new Redactor();
        for (const other of others) redactor.add(other);
        redactor.add(secret);
        expect(redactor.redact(JSON.stringify({ x: secret }))).not.toContain(jsonEscaped(secret));
      }),
    );
  });

  it("never leaves the raw secret in any string redactValue returns", () => {
    const text = fc.string({ unit: "grapheme", maxLength: 8 });
    fc.assert(
      fc.property(awkwardSecret, text, text, (secret, before, after) => {
        const redactor = new Redactor();
        redactor.add(secret);
        const value = {
          a: [`${before}${secret}${after}`, 1, { b: secret }],
          c: { d: [before, `${secret}${secret}`] },
        };
        const strings: string[] = [];
        const collect = (inner: unknown): void => {
          if (typeof inner === "string") strings.push(inner);
          else if (Array.isArray(inner)) inner.forEach(collect);
          else if (inner && typeof inner === "object") Object.values(inner).forEach(collect);
        };
        collect(redactor.redactValue(value));
        for (const string of strings) expect(string).not.toContain(secret);
      }),
    );
  });

  it("never lets the raw secret through a stream, however it is cut", () => {
    fc.assert(
      fc.property(
        awkwardSecret,
        fc.string({ maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 20 }),
        (secret, around, cuts) => {
          const redactor = new Redactor();
          redactor.add(secret);
          const text = `${around}${secret}${around}`;
          const stream = redactor.stream();
          let out = "";
          let start = 0;
          for (let index = 0; start < text.length; index++) {
            const size = cuts[index % cuts.length] ?? 1;
            out += stream.push(text.slice(start, start + size));
            start += size;
          }
          out += stream.end();
          expect(out).not.toContain(secret);
        },
      ),
    );
  });
});
