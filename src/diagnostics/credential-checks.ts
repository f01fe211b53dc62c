import { basename, resolve } from "node:path";
import type { AuditFinding, SecretListing } from "../secrets/index.js";
import { type Diagnostic, fail, ok, plural, warn } from "./diagnostic.js";

function describeFinding(finding: AuditFinding): string {
  return `${finding.file}:${finding.line}${finding.path ? ` ${finding.path}` : ""}: ${finding.kind} ${finding.preview}`;
}

/** `models.providers.anthropic.apiKey` → `anthropic-api-key`: a name for the example fix. */
export function suggestSecretName(path: string | undefined): string {
  if (!path) return "my-key";
  const words = path
    .split(".")
    .filter((segment) => !["models", "providers", "gateway", "memory"].includes(segment))
    .map((segment) => segment.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase());
  return words.join("-").replace(/[^a-z0-9_.-]+/g, "-") || "my-key";
}

/**
 * The seed's second checklist line: "The key is compromised → check if openclaw.json is
 * hardcoded". A config file is copied, pasted and committed; a key in it leaks with it.
 */
export function checkPlaintextConfig(findings: AuditFinding[], configPath: string): Diagnostic {
  const inConfig = findings.filter((finding) => resolve(finding.file) === resolve(configPath));
  if (inConfig.length === 0) {
    return ok(
      "plaintext-config",
      `${basename(configPath)} hardcodes no credential (keys come from externalSecrets)`,
    );
  }
  const name = suggestSecretName(inConfig.find((finding) => finding.path)?.path);
  return fail(
    "plaintext-config",
    `${basename(configPath)} hardcodes ${plural(inConfig.length, "credential")} in plaintext: whoever sees the file has the key`,
    `move each into externalSecrets, e.g. "externalSecrets": { "${name}": { "source": "file", "path": "/etc/openclaw/secrets/${name}" } } ` +
      `(chmod 600 that file), and write { "$secret": "${name}" } where the key was; rotate any key the file may have leaked`,
    { details: inConfig.map(describeFinding) },
  );
}

/** A key pasted into a chat ends up in a transcript (or a log) in the state dir. */
export function checkPlaintextState(findings: AuditFinding[], configPath: string): Diagnostic[] {
  const elsewhere = findings.filter((finding) => resolve(finding.file) !== resolve(configPath));
  if (elsewhere.length === 0) return [];
  return [
    warn(
      "plaintext-state",
      `${plural(elsewhere.length, "key-shaped string")} in the state dir (transcripts, logs): those keys are exposed to whoever reads them`,
      "rotate each key at its provider, then delete the files or lines listed (openclaw secrets audit lists them again)",
      { details: elsewhere.map(describeFinding) },
    ),
  ];
}

/** Each declared external secret can be read now, as the gateway would at start-up. */
export function checkSecrets(secrets: SecretListing[] | undefined): Diagnostic[] {
  if (secrets === undefined) return [];
  const broken = secrets.filter((secret) => secret.status !== "ok");
  if (broken.length === 0) {
    return [
      ok(
        "secrets",
        secrets.length === 0
          ? "externalSecrets: none declared"
          : `externalSecrets: ${plural(secrets.length, "secret")} declared, all readable`,
      ),
    ];
  }
  return broken.map((secret) =>
    fail(
      "secrets",
      `secret "${secret.name}" (${secret.source}) is ${secret.status}: ${secret.error ?? "no value"}`,
      secret.hint ?? "see openclaw secrets check",
      { subject: secret.name },
    ),
  );
}
