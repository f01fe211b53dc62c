import { describe, expect, it } from "vitest";
import { secretForms } from "./secret-forms.js";

describe("secretForms", () => {
  it("gives a plain key as it is and in base64; its URL and JSON spellings are the same", () => {
    const key = "sk-ant-api03-canary-0123456789";
    expect(secretForms(key)).toEqual([key, Buffer.from(key).toString("base64")]);
  });

  it("adds the JSON-escaped spelling when quotes, backslashes or newlines change it", () => {
    expect(secretForms('pa"ss\\word')).toContain('pa\\"ss\\\\word');
  });

  it("adds each line of at least 8 characters (trimmed) of a multi-line secret, raw and JSON-escaped", () => {
    const forms = secretForms('{\n  "private_key": "abc\\ndef",\n  "id": 1\n}\n');
    expect(forms).toContain('"private_key": "abc\\ndef",');
    expect(forms).toContain('\\"private_key\\": \\"abc\\\\ndef\\",');
    expect(forms).not.toContain('"id": 1');
    expect(forms).not.toContain("{");
    expect(forms).not.toContain("}");
  });

  it("skips the URL spelling of a value that has none (a lone surrogate)", () => {
    expect(() => secretForms("bytes-\ud800-from-exec")).not.toThrow();
    expect(secretForms("bytes-\ud800-from-exec")).toContain("bytes-\\ud800-from-exec");
  });
});
