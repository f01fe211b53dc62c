import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AUDIT_MAX_FILE_BYTES, type AuditSkipReason, auditPlaintextCredentials } from "./audit.js";

const ANTHROPIC = "sk-ant-api03-Q1w2E3r4T5y6U7i8O9p0AsDfGhJkLzXcVbNm-7f3e";
const OPENAI = "sk-proj-Mn0Bv9Cx8Zl7Kj6Hg5Fd4Sa3Qw2Er1TyUi9b8c7d";

const CLEAN_CONFIG = `{
  // Keys live outside this file.
  externalSecrets: {
    "claude-api-key": { source: "env", key: "ANTHROPIC_API_KEY" },
    "openai-api-key": { source: "file", path: "secrets/openai.key" },
    vault: { source: "exec", command: ["vault", "read", "-field=token", "secret/gw"] },
  },
  models: {
    providers: {
      anthropic: { apiKey: { "$secret": "claude-api-key" } },
      openai: { apiKey: { $secret: "openai-api-key" }, headers: { "x-trace": "" } },
    },
  },
  "gateway.port": 18789,
}
`;

describe("auditPlaintextCredentials", () => {
  let dir: string;
  let configPath: string;
  let stateDir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-audit-"));
    stateDir = join(dir, "state");
    configPath = join(stateDir, "openclaw.json");
    await mkdir(join(stateDir, "sessions", "main"), { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("finds nothing in a clean config and state dir", async () => {
    await writeFile(configPath, CLEAN_CONFIG);
    // A declared secret file is where a key belongs.
    await mkdir(join(stateDir, "secrets"));
    await writeFile(join(stateDir, "secrets", "openai.key"), OPENAI, { mode: 0o600 });
    await writeFile(
      join(stateDir, "sessions", "main", "s1.jsonl"),
      '{"role":"user","text":"hello task-runner"}\n',
    );
    expect(await auditPlaintextCredentials({ configPath, stateDir })).toEqual([]);
  });

  it("finds a planted Anthropic key in the config, at its line, masked", async () => {
    const config = CLEAN_CONFIG.replace(
      `anthropic: { apiKey: { "$secret": "claude-api-key" } },`,
      `anthropic: {\n        apiKey: "${ANTHROPIC}",\n      },`,
    );
    await writeFile(configPath, config);
    const findings = await auditPlaintextCredentials({ configPath, stateDir });
    expect(findings).toEqual([
      {
        file: configPath,
        line: 11,
        path: "models.providers.anthropic.apiKey",
        kind: "anthropic-key",
        preview: "sk-ant-…7f3e",
      },
    ]);
    expect(config.split("\n")[10]).toContain(ANTHROPIC);
    expect(JSON.stringify(findings)).not.toContain("Q1w2E3r4");
  });

  it("flags any string credential field, dotted keys and headers included, and keys in comments", async () => {
    await writeFile(
      configPath,
      [
        "{",
        '  "models.providers.local.apiKey": "ollama-local-password",',
        "  models: { providers: { openai: { headers: { Authorization: 'Bearer abc' } } } },",
        `  // old key: ${OPENAI}`,
        '  externalSecrets: { gh: { source: "env", key: "GITHUB_TOKEN" } },',
        "  models2: { token: '' },",
        "}",
      ].join("\n"),
    );
    const findings = await auditPlaintextCredentials({ configPath, stateDir });
    expect(findings).toEqual([
      {
        file: configPath,
        line: 2,
        path: "models.providers.local.apiKey",
        kind: "credential-field",
        preview: "…word",
      },
      {
        file: configPath,
        line: 3,
        path: "models.providers.openai.headers.Authorization",
        kind: "credential-field",
        preview: "…",
      },
      { file: configPath, line: 4, kind: "openai-key", preview: "sk-proj-…8c7d" },
    ]);
  });

  it("still finds key shapes in a config that does not parse", async () => {
    await writeFile(configPath, `{\n  models: {\n    apiKey: "${ANTHROPIC}"\n`);
    expect(await auditPlaintextCredentials({ configPath, stateDir })).toEqual([
      { file: configPath, line: 3, kind: "anthropic-key", preview: "sk-ant-…7f3e" },
    ]);
  });

  it("finds keys pasted into transcripts, and skips large, binary and linked files", async () => {
    await writeFile(configPath, CLEAN_CONFIG);
    const transcript = join(stateDir, "sessions", "main", "s1.jsonl");
    await writeFile(
      transcript,
      [
        '{"role":"user","text":"hi"}',
        `{"role":"user","text":"my key is ${ANTHROPIC} and aws AKIAIOSFODNN7EXAMPLE"}`,
        `{"role":"assistant","text":"ghp_${"x9Y8".repeat(9)} noted"}`,
      ].join("\r\n"),
    );
    await writeFile(join(stateDir, "big.log"), `${ANTHROPIC}\n${"x".repeat(AUDIT_MAX_FILE_BYTES)}`);
    await writeFile(
      join(stateDir, "blob.bin"),
      Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(ANTHROPIC)]),
    );
    const outside = join(dir, "outside");
    await mkdir(outside);
    await writeFile(join(outside, "leak.txt"), ANTHROPIC);
    await symlink(outside, join(stateDir, "linked"));

    const skipped: [string, AuditSkipReason][] = [];
    const findings = await auditPlaintextCredentials({
      configPath,
      stateDir,
      onSkip: (file, reason) => skipped.push([file, reason]),
    });
    expect(findings).toEqual([
      { file: transcript, line: 2, kind: "anthropic-key", preview: "sk-ant-…7f3e" },
      { file: transcript, line: 2, kind: "aws-access-key", preview: "AKIA…MPLE" },
      { file: transcript, line: 3, kind: "github-token", preview: "ghp_…x9Y8" },
    ]);
    expect(skipped).toEqual([
      [join(stateDir, "big.log"), "too-large"],
      [join(stateDir, "blob.bin"), "binary"],
    ]);
  });

  it("stops after maxFiles and says so", async () => {
    await writeFile(join(stateDir, "a.txt"), ANTHROPIC);
    await writeFile(join(stateDir, "b.txt"), ANTHROPIC);
    const skipped: string[] = [];
    const findings = await auditPlaintextCredentials({
      configPath,
      stateDir,
      maxFiles: 1,
      onSkip: (file, reason) => skipped.push(`${reason} ${file}`),
    });
    expect(findings.map((finding) => finding.file)).toEqual([join(stateDir, "a.txt")]);
    expect(skipped).toEqual([`file-limit ${join(stateDir, "b.txt")}`]);
  });
});
