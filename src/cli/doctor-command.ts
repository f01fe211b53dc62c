import type { Command } from "commander";
import { loadConfigFile } from "../config/index.js";
import { isOpenClawError, toOpenClawError } from "../errors.js";
import { auditPlaintextCredentials } from "../secrets/index.js";
import { cliPaths, type GlobalOptions } from "./cli-context.js";
import { callGateway, runningGatewayUrl } from "./gateway-api.js";
import { stalledSyncs } from "./memory-commands.js";
import { printFindings, readSecretsLocally, secretProblems } from "./secrets-commands.js";

const MIN_NODE_MAJOR = 24;

/** `openclaw doctor`: config, secrets, plaintext credentials and the gateway, one line per check. */
export function registerDoctorCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command("doctor")
    .description("check the config, secrets, plaintext credentials and the gateway; exit 1 on a problem")
    .action(async () => {
      const { configPath, stateDir } = cliPaths(program.opts<GlobalOptions>());
      let problems = 0;
      const report = (ok: boolean, line: string, fix?: string) => {
        process.stdout.write(`${ok ? "ok  " : "FAIL"} ${line}\n`);
        if (!ok && fix) process.stdout.write(`     fix: ${fix}\n`);
        if (!ok) problems += 1;
      };

      const major = Number(process.versions.node.split(".")[0]);
      report(
        major >= MIN_NODE_MAJOR,
        `node ${process.versions.node}`,
        `run on Node.js ${MIN_NODE_MAJOR} or newer`,
      );

      let loaded: Awaited<ReturnType<typeof loadConfigFile>> | undefined;
      try {
        loaded = await loadConfigFile(configPath);
        report(true, `config ${configPath}${loaded.exists ? "" : " (not found: built-in defaults)"}`);
      } catch (error) {
        const failure = isOpenClawError(error) ? error : toOpenClawError(error);
        report(false, `config: ${failure.message}`, failure.hint);
      }

      if (loaded) {
        const { config } = loaded;
        const secrets = await readSecretsLocally(config, configPath);
        const secretIssues = secretProblems(secrets, config);
        report(
          secretIssues.length === 0,
          `secrets: ${secrets.length} declared, mode ${config.gateway.mode}`,
          "see `openclaw secrets check`",
        );
        for (const issue of secretIssues) process.stdout.write(`     ${issue}\n`);
      }

      const findings = await auditPlaintextCredentials({ configPath, stateDir });
      report(
        findings.length === 0,
        `plaintext credentials in config and ${stateDir}: ${findings.length}`,
        'move each into externalSecrets and reference it with { "$secret": "<name>" }',
      );
      printFindings(findings, process.cwd());

      const url = await runningGatewayUrl();
      process.stdout.write(`info gateway ${url ? `running at ${url}` : "not running"}\n`);
      if (url) {
        const { agents } = (await callGateway("/__openclaw__/memory", "GET")) as {
          agents: Parameters<typeof stalledSyncs>[0];
        };
        const stalled = stalledSyncs(agents);
        report(
          stalled.length === 0,
          `memory sync: ${stalled.length === 0 ? "no stalled sync" : `stalled for ${stalled.map((row) => row.agentId).join(", ")}`}`,
          "see `openclaw memory status`; `openclaw memory resync` rebuilds the collection",
        );
      }
      if (problems > 0) setExitCode(1);
    });
}
