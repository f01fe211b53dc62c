/**
 * Environment keys that change how a program starts rather than carry a value for it: an
 * interpreter's startup hook, the dynamic linker's preload, an exported shell function. OpenClaw
 * drops them from a stdio server's `env` (docs/cli/mcp/transports.md), so a config line cannot
 * swap the interpreter or inject a prelude; set one on the gateway's own process if truly needed.
 */
const STARTUP_KEYS = new Set([
  "NODE_OPTIONS",
  "NODE_PATH",
  "NODE_REPL_EXTERNAL_MODULE",
  "PYTHONSTARTUP",
  "PYTHONPATH",
  "PYTHONHOME",
  "PYTHONINSPECT",
  "PERL5OPT",
  "PERL5LIB",
  "PERLLIB",
  "RUBYOPT",
  "RUBYLIB",
  "BASHOPTS",
  "SHELLOPTS",
  "BASH_ENV",
  "ENV",
  "KSH_ENV",
  "ZDOTDIR",
  "JAVA_TOOL_OPTIONS",
  "_JAVA_OPTIONS",
  "JDK_JAVA_OPTIONS",
  "DOTNET_STARTUP_HOOKS",
  "GCONV_PATH",
  "AWS_CONFIG_FILE",
  "AWS_SHARED_CREDENTIALS_FILE",
]);
const STARTUP_PREFIXES = ["LD_", "DYLD_", "BASH_FUNC_"];

export function isStartupHijackKey(name: string): boolean {
  const upper = name.toUpperCase();
  return STARTUP_KEYS.has(upper) || STARTUP_PREFIXES.some((prefix) => upper.startsWith(prefix));
}

/** `env` without the startup keys, each dropped one logged (the key, never its value). */
export function withoutStartupHooks(
  server: string,
  env: Record<string, string>,
  logger: { warn(fields: object, message: string): void },
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (isStartupHijackKey(name)) {
      logger.warn({ server, key: name }, "MCP server env key dropped: it changes how the program starts");
      continue;
    }
    kept[name] = value;
  }
  return kept;
}
