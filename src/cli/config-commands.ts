import type { Command } from "commander";
import type { AppliedConfig } from "../gateway/held-config.js";
import type { GlobalOptions } from "./cli-context.js";
import { printConfigValue } from "./config-get.js";
import { configInUse, otherFileNote } from "./config-in-use.js";
import { printJson } from "./output.js";

function printApplied(applied: AppliedConfig): void {
  process.stdout.write(`config applied: ${applied.path} (sha256 ${applied.hash})\n`);
  if (applied.weakening.length === 0) {
    process.stdout.write("no change weakening the security boundary\n");
  } else {
    process.stdout.write("now in force, weakening the security boundary:\n");
    for (const change of applied.weakening) process.stdout.write(`  ${change.path}: ${change.description}\n`);
  }
  const { added, changed, removed } = applied.agents;
  const parts = [
    added.length > 0 ? `added ${added.join(", ")}` : "",
    changed.length > 0 ? `changed ${changed.join(", ")}` : "",
    removed.length > 0 ? `removed ${removed.join(", ")}` : "",
  ].filter(Boolean);
  process.stdout.write(`agents: ${parts.length > 0 ? parts.join("; ") : "unchanged"}\n`);
}

export function registerConfigCommands(program: Command): void {
  const globals = () => program.opts<GlobalOptions>();
  const config = program.command("config").description("validate, read and edit openclaw.json");

  config
    .command("validate")
    .description("check the config file against the schema")
    .action(async () => {
      const { formatWarnings, loadConfigFile, resolveAgentConfigs } = await import("../config/index.js");
      const inUse = await configInUse(globals());
      const { configPath } = inUse;
      const loaded = await loadConfigFile(configPath);
      for (const line of formatWarnings(loaded.path, loaded.warnings)) process.stderr.write(`${line}\n`);
      const agents = resolveAgentConfigs(loaded.config).map((agent) => agent.id);
      const where = loaded.exists ? configPath : `${configPath} (not found: built-in defaults)`;
      process.stdout.write(`config valid: ${where}\nagents: ${agents.join(", ")}\n`);
      const note = otherFileNote(inUse);
      if (note) process.stderr.write(`${note}\n`);
    });

  config
    .command("get [path]")
    .description("print a value (dotted path) or the whole config; credentials are redacted")
    .action(async (path: string | undefined) => printConfigValue(globals(), path));

  config
    .command("set <path> <value>")
    .description("set a value (JSON5, or a plain string); comments elsewhere in the file are kept")
    .action(async (path: string, value: string) => {
      const { setConfigValueInFile } = await import("../config/index.js");
      const { configPath } = await configInUse(globals());
      await setConfigValueInFile(configPath, path, value);
      process.stdout.write(`set ${path} in ${configPath}\n`);
    });

  config
    .command("migrate")
    .description(
      "rewrite a seed-form file into OpenClaw's form (agents.<id> → agents.entries.<id>, provider type → api), keeping comments; prints the result unless --write",
    )
    .option("--write", "replace the file (the original is kept as <file>.bak)")
    .action(async (options: { write?: boolean }) => {
      const { migrateConfigFile } = await import("../config/index.js");
      const { configPath } = await configInUse(globals());
      const result = await migrateConfigFile(configPath, options.write === true);
      for (const note of result.notes) process.stderr.write(`note: ${note}\n`);
      if (!result.changed) process.stdout.write(`nothing to migrate: ${configPath}\n`);
      else if (options.write)
        process.stdout.write(`migrated ${configPath} (original kept as ${configPath}.bak)\n`);
      else process.stdout.write(result.text.endsWith("\n") ? result.text : `${result.text}\n`);
    });

  config
    .command("apply")
    .description(
      "make the running gateway apply the config file now, including changes that weaken its security boundary (which it otherwise holds)",
    )
    .option(
      "--hash <sha256>",
      "apply only this version of the file (`openclaw status` shows it under config.pending)",
    )
    .option("--json", "print JSON")
    .action(async (options: { hash?: string; json?: boolean }) => {
      const { callGateway } = await import("./gateway-api.js");
      const { applied } = (await callGateway(
        "/__openclaw__/config/apply",
        "POST",
        options.hash ? { baseHash: options.hash } : {},
      )) as { applied: AppliedConfig };
      if (options.json) printJson(applied);
      else printApplied(applied);
    });

  config
    .command("schema")
    .description("print the config's JSON Schema")
    .action(async () => {
      const { configJsonSchema } = await import("../config/index.js");
      printJson(configJsonSchema());
    });
}
