import { describe, expect, it } from "vitest";
import { findKeyFormats, maskCredential } from "./key-formats.js";

const ANTHROPIC = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_a1b2";
const OPENAI = "sk-proj-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0EdCbAz9c3d4";

describe("findKeyFormats", () => {
  it("recognises each format and masks all but the prefix and last 4 characters", () => {
    const text = [
      `anthropic ${ANTHROPIC}`,
      `openai "${OPENAI}"`,
      "legacy sk-abcdefghij0123456789ABCD",
      `github ghp_${"a1B2".repeat(9)}`,
      "slack xoxb-123456789012-1234567890123-AbCdEfGhIjKl",
      "aws AKIAIOSFODNN7EXAMPLE",
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
    ].join("\n");
    const found = findKeyFormats(text);
    expect(found.map(({ kind, preview }) => ({ kind, preview }))).toEqual([
      { kind: "anthropic-key", preview: "sk-ant-…a1b2" },
      { kind: "openai-key", preview: "sk-proj-…c3d4" },
      { kind: "openai-key", preview: "sk-…ABCD" },
      { kind: "github-token", preview: "ghp_…a1B2" },
      { kind: "slack-token", preview: "xoxb-…IjKl" },
      { kind: "aws-access-key", preview: "AKIA…MPLE" },
      { kind: "private-key", preview: "-----BEGIN OPENSSH PRIVATE KEY-----…" },
    ]);
    expect(text.slice(found[0]!.start, found[0]!.end)).toBe(ANTHROPIC);
    for (const { preview } of found) expect(preview).not.toContain("AbCdEfGh");
  });

  it("ignores words that only look like a prefix", () => {
    const text =
      "task-runner-configuration-file sk-learn-pipeline-examples-here disk-ant-abcdefghijklmnopqrstuvwxyz AKIA";
    expect(findKeyFormats(text)).toEqual([]);
  });
});

describe("maskCredential", () => {
  it("shows the last 4 characters only of values long enough to spare them", () => {
    expect(maskCredential("correct-horse-battery-staple")).toBe("…aple");
    expect(maskCredential("hunter2-pass")).toBe("…");
    expect(maskCredential("sk-ant-short", "sk-ant-")).toBe("sk-ant-…");
  });
});
