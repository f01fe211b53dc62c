import { describe, expect, it } from "vitest";
import type { AuditFinding, SecretListing } from "../secrets/index.js";
import {
  checkPlaintextConfig,
  checkPlaintextState,
  checkSecrets,
  suggestSecretName,
} from "./credential-checks.js";

const CONFIG = "/home/me/.openclaw/openclaw.json";
const inConfig: AuditFinding = {
  file: CONFIG,
  line: 7,
  path: "models.providers.anthropic.apiKey",
  kind: "anthropic-key",
  preview: "sk-ant-…wxyz",
};
const inTranscript: AuditFinding = {
  file: "/home/me/.openclaw/sessions/main.jsonl",
  line: 3,
  kind: "openai-key",
  preview: "sk-…abcd",
};

describe("checkPlaintextConfig (seed: the key is compromised → openclaw.json hardcoded)", () => {
  it("fails with each finding's file:line and path, and the externalSecrets fix", () => {
    const finding = checkPlaintextConfig([inConfig, inTranscript], CONFIG);
    expect(finding).toMatchObject({ id: "plaintext-config", status: "fail" });
    expect(finding.summary).toBe(
      "openclaw.json hardcodes 1 credential in plaintext: whoever sees the file has the key",
    );
    expect(finding.details).toEqual([
      `${CONFIG}:7 models.providers.anthropic.apiKey: anthropic-key sk-ant-…wxyz`,
    ]);
    expect(finding.fix).toContain('"anthropic-api-key": { "source": "file"');
    expect(finding.fix).toContain('{ "$secret": "anthropic-api-key" }');
  });

  it("is ok when the config holds none", () => {
    expect(checkPlaintextConfig([inTranscript], CONFIG).status).toBe("ok");
  });
});

describe("checkPlaintextState", () => {
  it("warns about keys in transcripts and says to rotate them", () => {
    const [finding] = checkPlaintextState([inConfig, inTranscript], CONFIG);
    expect(finding?.status).toBe("warn");
    expect(finding?.details).toEqual(["/home/me/.openclaw/sessions/main.jsonl:3: openai-key sk-…abcd"]);
    expect(finding?.fix).toContain("rotate");
    expect(checkPlaintextState([inConfig], CONFIG)).toEqual([]);
  });
});

describe("suggestSecretName", () => {
  it("makes a secret name from a config path", () => {
    expect(suggestSecretName("models.providers.openai.apiKey")).toBe("openai-api-key");
    expect(suggestSecretName("gateway.auth.token")).toBe("auth-token");
    expect(suggestSecretName(undefined)).toBe("my-key");
  });
});

describe("checkSecrets", () => {
  const secret = (overrides: Partial<SecretListing>): SecretListing => ({
    name: "key",
    source: "file",
    detail: "/etc/openclaw/secrets/key",
    status: "ok",
    rotations: 0,
    bindings: [],
    ...overrides,
  });

  it("fails each secret that cannot be read, with the store's own hint", () => {
    const findings = checkSecrets([
      secret({ name: "good" }),
      secret({ name: "loose", status: "missing", error: "mode 0644", hint: "chmod 600 /x" }),
    ]);
    expect(findings).toEqual([
      {
        id: "secrets",
        status: "fail",
        summary: 'secret "loose" (file) is missing: mode 0644',
        fix: "chmod 600 /x",
        subject: "loose",
      },
    ]);
  });

  it("is ok when every secret reads, and silent without a config", () => {
    expect(checkSecrets([secret({})])[0]?.summary).toBe("externalSecrets: 1 secret declared, all readable");
    expect(checkSecrets(undefined)).toEqual([]);
  });
});
