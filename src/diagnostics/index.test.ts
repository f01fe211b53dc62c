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
const confinementWorks = async () => ({
  available: true,
  reason: "bubblewrap 0.8.0 at /usr/bin/bwrap",
  fix: undefined,
  pidsBound: "cgroup-v1" as const,
});

describe("gatherFacts + runChecks", () => {
  it("on a fresh machine: nothing fails, the missing state dir and token are safe fixes", async () => {
    const diagnostics = runChecks(
      await gatherFacts({
        configPath: join(dir, "openclaw.json"),
        stateDir: join(dir, "state"),
        probeGateway: stopped,
        probeConfinement: confinementWorks,
      }),
    );
    expect(diagnostics.filter((diagnostic) => diagnostic.status === "fail")).toEqual([]);
    expect(diagnostics.map((diagnostic) => diagnostic.id)).toEqual([
      "node-version",
      "config",
      "state-dir",
      "state-dir-space",
      "gateway",
      "plaintext-config",
      "secrets",
      "trusted-proxy-config",
      "bind-exposure",
      "gateway-token",
      "host-confinement",
    ]);
    const outcomes = await applySafeFixes(diagnostics);
    expect(outcomes.map((outcome) => outcome.error)).toEqual([undefined, undefined]);
    const after = runChecks(
      await gatherFacts({
        configPath: join(dir, "openclaw.json"),
        stateDir: join(dir, "state"),
        probeGateway: stopped,
        probeConfinement: confinementWorks,
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

describe("gatherFacts, host confinement", () => {
  it("lists the agents whose exec runs on the host, with the setting that decides, and probes bubblewrap once", async () => {
    await writeFile(
      join(dir, "openclaw.json"),
      JSON.stringify({
        agents: {
          legacy: { sandbox: { host: { confinement: "unconfined" } } },
          coder: {},
          boxed: { sandbox: { docker: { enabled: true } } },
          reader: { tools: ["read", "list"] },
        },
      }),
    );
    let probes = 0;
    const facts = await gatherFacts({
      configPath: join(dir, "openclaw.json"),
      stateDir: join(dir, "state"),
      probeGateway: stopped,
      probeDocker: async () => ({ reachable: true, missingImages: [] }),
      probeConfinement: async () => {
        probes += 1;
        return {
          available: false,
          reason: "bwrap missing",
          fix: "apt-get install bubblewrap",
          pidsBound: "none",
        };
      },
    });
    expect(probes).toBe(1);
    expect(facts.confinement?.hostAgents).toEqual([
      { id: "legacy", confinement: "unconfined", setting: "agents.legacy.sandbox.host.confinement" },
      { id: "coder", confinement: "bubblewrap", setting: "agents.defaults.sandbox.host.confinement" },
    ]);
    const findings = runChecks(facts).filter((diagnostic) => diagnostic.id === "host-confinement");
    expect(findings.map((finding) => [finding.status, finding.subject])).toEqual([
      ["warn", "legacy"],
      ["fail", undefined],
    ]);
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
