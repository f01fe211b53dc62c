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
