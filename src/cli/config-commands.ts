import type { Command } from "commander";
import { cliPaths, type GlobalOptions } from "./cli-context.js";
import { printJson } from "./output.js";

export function registerConfigCommands(program: Command): void {
  const globals = () => program.opts<GlobalOptions>();
  const config = program.command("config").description("validate, read and edit openclaw.json");

  config
    .command("validate")
    .description("check the config file against the schema")
    .action(async () => {
      const { loadConfigFile, resolveAgentConfigs } = await import("../config/index.js");
      const { configPath } = cliPaths(globals());
      const loaded = await loadConfigFile(configPath);
      const agents = resolveAgentConfigs(loaded.config).map((agent) => agent.id);
      const where = loaded.exists ? configPath : `${configPath} (not found: built-in defaults)`;
      process.stdout.write(`config valid: ${where}\nagents: ${agents.join(", ")}\n`);
    });

  config
    .command("get [path]")
    .description("print a value (dotted path) or the whole config; credentials are redacted")
    .action(async (path: string | undefined) => {
      const { getConfigValue, loadConfigFile, redactCredentials } = await import("../config/index.js");
      const loaded = await loadConfigFile(cliPaths(globals()).configPath);
      const value = path ? getConfigValue(loaded.config, path) : loaded.config;
      const redacted = redactCredentials(value, path ?? "");
      if (typeof redacted === "string") process.stdout.write(`${redacted}\n`);
      else printJson(redacted);
    });

  config
    .command("set <path> <value>")
    .description("set a value (JSON5, or a plain string); comments elsewhere in the file are kept")
    .action(async (path: string, value: string) => {
      const { setConfigValueInFile } = await import("../config/index.js");
      const { configPath } = cliPaths(globals());
      await setConfigValueInFile(configPath, path, value);
      process.stdout.write(`set ${path} in ${configPath}\n`);
    });

  config
    .command("schema")
    .description("print the config's JSON Schema")
    .action(async () => {
      const { configJsonSchema } = await import("../config/index.js");
      printJson(configJsonSchema());
    });
}
