import { relative } from "node:path";
import type { Command } from "commander";
import { loadConfigFile, type OpenClawConfig } from "../config/index.js";
import {
  type AuditFinding,
  auditPlaintextCredentials,
  findPlaintextCredentials,
  listSecrets,
  type ReloadReport,
  type SecretListing,
  withLocalSecrets,
} from "../secrets/index.js";
import { cliPaths, type GlobalOptions } from "./cli-context.js";
import { callGateway, runningGatewayUrl } from "./gateway-api.js";
import { formatTable, printJson } from "./output.js";

/** Reads every declared secret from here and now, as the gateway would at start-up. */
export async function readSecretsLocally(
  config: OpenClawConfig,
  configPath: string,
): Promise<SecretListing[]> {
  return withLocalSecrets(config, configPath, (store) => listSecrets(store.list(), config));
}

function printSecretTable(secrets: SecretListing[]): void {
  if (secrets.length === 0) {
    process.stdout.write("no external secrets declared (externalSecrets in openclaw.json)\n");
    return;
  }
  const rows = [["SECRET", "SOURCE", "FROM", "STATUS", "USED BY", "LAST ROTATION"]];
  for (const secret of secrets) {
    rows.push([
      secret.name,
      secret.source,
      secret.detail,
      secret.status,
      secret.bindings.map((binding) => binding.path).join(", ") || "(unused)",
      secret.lastRotationAt ?? "-",
    ]);
  }
  process.stdout.write(`${formatTable(rows)}\n`);
  for (const secret of secrets) {
    for (const binding of secret.bindings) {
      process.stdout.write(`  ${secret.name} → ${binding.path}: ${binding.reason}\n`);
    }
    if (secret.error) process.stdout.write(`  ${secret.name}: ${secret.error}\n`);
    if (secret.hint && secret.status !== "ok") process.stdout.write(`    fix: ${secret.hint}\n`);
  }
}

export function printFindings(findings: AuditFinding[], base: string): void {
  for (const finding of findings) {
    const where = `${relative(base, finding.file) || finding.file}:${finding.line}`;
    const path = finding.path ? ` ${finding.path}` : "";
    process.stdout.write(`${where}${path}: ${finding.kind} ${finding.preview}\n`);
  }
}

/** Problems `secrets check` (and `doctor`) find: one line each, with what to do. */
export function secretProblems(secrets: SecretListing[], config: OpenClawConfig): string[] {
  const problems: string[] = [];
  for (const secret of secrets) {
    if (secret.status === "ok") continue;
    problems.push(`secret "${secret.name}" is ${secret.status}: ${secret.error ?? "no value"}`);
  }
  const plaintext = findPlaintextCredentials(config);
  if (plaintext.length > 0) {
    const verdict =
      config.gateway.mode === "production" ? "refused in production mode" : "allowed only in development";
    problems.push(`plaintext credentials in openclaw.json (${verdict}): ${plaintext.join(", ")}`);
  }
  return problems;
}

/** `openclaw secrets list | check | reload | audit`. */
export function registerSecretsCommands(program: Command, setExitCode: (code: number) => void): void {
  const secrets = program
    .command("secrets")
    .description("external secrets: status, bindings, rotation, audit");
  const globals = () => program.opts<GlobalOptions>();

  secrets
    .command("list")
    .description("each secret: source, status, what uses it and why, last rotation; never a value")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      let list: SecretListing[];
      if (await runningGatewayUrl()) {
        list = ((await callGateway("/__openclaw__/secrets", "GET")) as { secrets: SecretListing[] }).secrets;
      } else {
        const { configPath } = cliPaths(globals());
        list = await readSecretsLocally((await loadConfigFile(configPath)).config, configPath);
      }
      if (options.json) printJson(list);
      else printSecretTable(list);
      if (list.some((secret) => secret.status !== "ok")) setExitCode(1);
    });

  secrets
    .command("check")
    .description("read every declared secret now and report what would fail; exit 1 on a problem")
    .action(async () => {
      const { configPath } = cliPaths(globals());
      const { config } = await loadConfigFile(configPath);
      const list = await readSecretsLocally(config, configPath);
      const problems = secretProblems(list, config);
      printSecretTable(list);
      if (problems.length === 0) {
        process.stdout.write("secrets: ok\n");
        return;
      }
      for (const problem of problems) process.stdout.write(`problem: ${problem}\n`);
      setExitCode(1);
    });

  secrets
    .command("reload")
    .description("make the running gateway re-read its secrets (as SIGHUP does); in-flight requests go on")
    .argument("[names...]", "only these secrets")
    .action(async (names: string[]) => {
      const { report, secrets: list } = (await callGateway(
        "/__openclaw__/secrets/reload",
        "POST",
        names.length > 0 ? { names } : {},
      )) as { report: ReloadReport; secrets: SecretListing[] };
      process.stdout.write(
        `reloaded: ${report.changed.length} changed, ${report.unchanged.length} unchanged, ${report.failed.length} failed\n`,
      );
      for (const name of report.failed) {
        const secret = list.find((entry) => entry.name === name);
        process.stdout.write(`  ${name}: ${secret?.error ?? "failed"} (keeping the last good value)\n`);
      }
      if (report.failed.length > 0) setExitCode(1);
    });

  secrets
    .command("audit")
    .description("scan openclaw.json and the state dir for plaintext credentials; exit 1 when any is found")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const { configPath, stateDir } = cliPaths(globals());
      const findings = await auditPlaintextCredentials({ configPath, stateDir });
      if (options.json) printJson(findings);
      else if (findings.length === 0) process.stdout.write("no plaintext credentials found\n");
      else {
        printFindings(findings, process.cwd());
        process.stdout.write(
          `${findings.length} plaintext credential(s): move each into externalSecrets and reference it with { "$secret": "<name>" }\n`,
        );
      }
      if (findings.length > 0) setExitCode(1);
    });
}
