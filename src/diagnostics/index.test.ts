import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateSelfSignedCertificate } from "../auth/index.js";
import { applySafeFixes, diagnosticJson, gatherFacts, runChecks } from "./index.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-doctor-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  delete process.env.OPENCLAW_DOCTOR_TEST_PASSWORD;
});

const stopped = async () => ({ state: "stopped" as const });

describe("gatherFacts + runChecks", () => {
  it("on a fresh machine: nothing fails, the missing state dir and token are safe fixes", async () => {
    const diagnostics = runChecks(
      await gatherFacts({
        configPath: join(dir, "openclaw.json"),
        stateDir: join(dir, "state"),
        probeGateway: stopped,
      }),
    );
    expect(diagnostics.filter((diagnostic) => diagnostic.status === "fail")).toEqual([]);
    expect(diagnostics.map((diagnostic) => diagnostic.id)).toEqual([
      "node-version",
      "config",
      "state-dir",
      "gateway",
      "plaintext-config",
      "secrets",
      "trusted-proxy-config",
      "bind-exposure",
      "gateway-token",
    ]);
    const outcomes = await applySafeFixes(diagnostics);
    expect(outcomes.map((outcome) => outcome.error)).toEqual([undefined, undefined]);
    const after = runChecks(
      await gatherFacts({
        configPath: join(dir, "openclaw.json"),
        stateDir: join(dir, "state"),
        probeGateway: stopped,
      }),
    );
    expect(
      after.filter((diagnostic) => diagnostic.status !== "ok").map((diagnostic) => diagnostic.id),
    ).toEqual(["gateway"]);
  });

  it("reads what each check needs: the certificate, the credential's strength, Docker; never keeps a value", async () => {
    const expired = generateSelfSignedCertificate({
      commonName: "t",
      altNames: ["localhost"],
      days: 1,
      now: new Date(Date.now() - 10 * 24 * 60 * 60_000),
    });
    await writeFile(join(dir, "cert.pem"), expired.certPem);
    await writeFile(join(dir, "key.pem"), expired.keyPem, { mode: 0o644 });
    process.env.OPENCLAW_DOCTOR_TEST_PASSWORD = "letmein";
    await writeFile(
      join(dir, "openclaw.json"),
      JSON.stringify({
        externalSecrets: { pw: { source: "env", key: "OPENCLAW_DOCTOR_TEST_PASSWORD" } },
        gateway: {
          host: "0.0.0.0",
          auth: { mode: "password", password: { $secret: "pw" } },
          tls: { enabled: true, certPath: "cert.pem", keyPath: "key.pem" },
        },
        agents: { boxed: { sandbox: { docker: { enabled: true, image: "my-sandbox:1" } } } },
      }),
    );
    const probed: string[][] = [];
    const facts = await gatherFacts({
      configPath: join(dir, "openclaw.json"),
      stateDir: join(dir, "state"),
      probeGateway: stopped,
      probeDocker: async (images) => {
        probed.push(images);
        return { reachable: false, error: "connect ENOENT", missingImages: [] };
      },
    });
    expect(probed).toEqual([["my-sandbox:1"]]);
    expect(facts.authCredential).toEqual({
      field: "password",
      origin: "secret",
      length: 7,
      weakness: "a common password",
    });
    expect(JSON.stringify(facts)).not.toContain("letmein");
    expect(facts.tls).toMatchObject({ keyMatches: true, generated: false });

    const failed = runChecks(facts)
      .filter((diagnostic) => diagnostic.status === "fail")
      .map((diagnostic) => diagnostic.id);
    expect(failed).toEqual(["bind-exposure", "secret-file-permissions", "tls-certificate", "docker-sandbox"]);
  });
});

describe("applySafeFixes and diagnosticJson", () => {
  it("reports a fix that fails instead of throwing, and prints a safe fix as its action", async () => {
    const diagnostic = {
      id: "x",
      status: "fail" as const,
      summary: "s",
      fix: "f",
      safeFix: {
        action: "chmod 600 /nope",
        apply: async () => {
          throw new Error("EPERM");
        },
      },
    };
    expect(await applySafeFixes([diagnostic, { id: "ok", status: "ok", summary: "fine" }])).toEqual([
      { action: "chmod 600 /nope", error: "EPERM" },
    ]);
    expect(diagnosticJson(diagnostic)).toEqual({
      id: "x",
      status: "fail",
      summary: "s",
      fix: "f",
      fixable: "chmod 600 /nope",
    });
  });
});
